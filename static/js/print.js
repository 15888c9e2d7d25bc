// "Print" links open the browser's print dialog; without JavaScript they stay plain links.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".js-print");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
