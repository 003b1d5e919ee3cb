// Shows the "Print this page" button on worksheet pages and makes it print.
// Without JavaScript the button stays hidden and the browser's own Print works as usual.
for (const button of document.querySelectorAll(".print-button")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
