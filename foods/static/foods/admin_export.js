// The admin export page's "Select all" toggle, bound here rather than by an inline onchange
// attribute, which the Content-Security-Policy blocks. onSelectToggleChange comes from
// django-import-export's export_selectable_fields.js.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
