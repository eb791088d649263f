// Behaviour for buttons marked with data attributes; kept out of the HTML so the
// content security policy can forbid inline scripts.
document.addEventListener("click", function (event) {
  var printButton = event.target.closest("[data-print]");
  if (printButton) {
    event.preventDefault();
    window.print();
  }
});
