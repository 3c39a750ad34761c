// Progressive enhancement only: every page works without this file.
// A change of a search filter submits its form, so readers need not find the button.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});
