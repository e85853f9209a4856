// Copy buttons beside invitation links: copy the field's text and say so to screen readers.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Link copied.";
  } catch {
    // No clipboard permission (plain HTTP, say): the link is selected for Ctrl+C instead.
    if (status) status.textContent = "Link selected: press Ctrl+C to copy it.";
  }
});
