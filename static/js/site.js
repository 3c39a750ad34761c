// Progressive enhancement only: every page works without this file.
// A change of a search filter submits its form, so readers need not find the button.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});

// "Copy link" on a claim page: without this file it is a plain link to the page itself.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-copy-link]") : null;
  if (!link || !navigator.clipboard) {
    return;
  }
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(() => {
    const label = link.textContent;
    link.textContent = link.dataset.copied || label;
    link.setAttribute("aria-live", "polite");
    setTimeout(() => { link.textContent = label; }, 2000);
  });
});
