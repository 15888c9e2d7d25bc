// Sign-up sends the browser's time zone; the server checks the name and falls back to its own.
for (const input of document.querySelectorAll("input[data-browser-time-zone]")) {
  input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
}
