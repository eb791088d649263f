// Behaviour for buttons marked with data attributes; kept out of the HTML so the
// content security policy can forbid inline scripts.
document.addEventListener("click", function (event) {
  var printButton = event.target.closest("[data-print]");
  if (printButton) {
    event.preventDefault();
    window.print();
  }
});

// A <select data-navigate> whose options' values are URLs: go there when one is chosen.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-navigate]");
  if (select && select.value) {
    window.location = select.value;
  }
});
