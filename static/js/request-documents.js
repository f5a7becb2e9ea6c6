// Filing a file with a request: the form sends it to the API as it streams (the CSRF token in
// the X-CSRFToken header, as the API's uploads take it), then shows the page again with it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.document-upload");
  if (!form) return;
  const status = form.querySelector(".upload-status");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("input[type=file]").files[0];
    if (!file) return;
    if (file.size > Number(form.dataset.maxBytes)) {
      status.textContent = form.dataset.tooLarge;
      return;
    }
    const data = new FormData();
    data.append("kind", form.querySelector("select[name=kind]").value);
    data.append("size", String(file.size));
    data.append("file", file, file.name);
    status.textContent = form.dataset.uploading;
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const response = await fetch(form.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      });
      if (response.ok) {
        window.location.assign(`${window.location.pathname}#documents`);
        window.location.reload();
        return;
      }
      const answer = await response.json().catch(() => ({}));
      const reasons = Object.values(answer.errors || {}).flat().filter((each) => typeof each === "string");
      status.textContent = [form.dataset.failed, answer.message || response.statusText, ...reasons].join(" ");
    } catch (error) {
      status.textContent = `${form.dataset.failed} ${error.message}`;
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });
});
