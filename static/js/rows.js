// Rows of a list of objects (the "rows" macro in templates/macros.html): the "Add" button shows
// and appends a blank copy of the last row, numbered on, with the focus in its first field.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-rows]").forEach((group) => {
    const add = group.querySelector("[data-add-row]");
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", () => {
      const rows = group.querySelectorAll("[data-row]");
      const last = rows[rows.length - 1];
      const row = last.cloneNode(true);
      const number = rows.length;
      row.querySelectorAll("[id], [for], [name]").forEach((element) => {
        for (const name of ["id", "for", "name"]) {
          const value = element.getAttribute(name);
          if (value) element.setAttribute(name, value.replace(/-\d+([.-])/, `-${number}$1`));
        }
      });
      row.querySelectorAll(".error-text").forEach((element) => element.remove());
      row.querySelectorAll(".field-error").forEach((element) => element.classList.remove("field-error"));
      row.querySelectorAll("input, select").forEach((element) => {
        element.value = "";
        element.removeAttribute("aria-invalid");
        element.removeAttribute("aria-describedby");
      });
      last.after(row);
      row.querySelector("input, select").focus();
    });
  });
});
