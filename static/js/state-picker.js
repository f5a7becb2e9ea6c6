// A State chosen by typing: the <select data-state-picker> stays the form's value (the page works
// without JavaScript) and is replaced on screen by a text box that filters the States by any of
// their UN names or their code ("Nig", "Ниг", "NGA"), with the matches below it as a listbox (the
// ARIA combobox pattern); several States show as chips, each with a button to remove it.
document.addEventListener("DOMContentLoaded", () => {
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  document.querySelectorAll("select[data-state-picker]").forEach((select, serial) => {
    const multiple = select.multiple;
    const options = [...select.options].filter((option) => option.value);
    const input = document.createElement("input");
    const list = document.createElement("ul");
    const empty = document.createElement("p");
    const chips = document.createElement("ul");
    let shown = [];
    let active = -1;

    input.type = "text";
    input.id = select.id; // the field's label now names the text box
    select.id = `${select.id}-select`;
    input.placeholder = select.dataset.placeholder;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    for (const name of ["aria-describedby", "aria-invalid"]) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    }
    list.id = `state-list-${serial}`;
    list.className = "state-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    empty.className = "state-no-match";
    empty.setAttribute("aria-live", "polite");
    chips.className = "state-chips";
    select.hidden = true;
    select.required = false; // a hidden control cannot be focused to show the browser's message
    select.tabIndex = -1;
    const picker = document.createElement("div");
    picker.className = "state-picker";
    picker.append(...(multiple ? [chips] : []), input, list, empty);
    select.after(picker);

    function showChosen() {
      if (!multiple) {
        const chosen = options.find((option) => option.selected);
        input.value = chosen ? chosen.text : "";
        return;
      }
      chips.replaceChildren(...options.filter((option) => option.selected).map((option) => {
        const chip = document.createElement("li");
        const name = document.createElement("span");
        const remove = document.createElement("button");
        name.textContent = option.text;
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", select.dataset.remove.replace("%s", option.text));
        remove.addEventListener("click", () => {
          option.selected = false;
          showChosen();
          input.focus();
        });
        chip.append(name, remove);
        return chip;
      }));
    }

    function highlight() {
      [...list.children].forEach((item, index) => item.classList.toggle("active", index === active));
      if (active < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", list.children[active].id);
      list.children[active].scrollIntoView({ block: "nearest" });
    }

    function close() {
      list.hidden = true;
      empty.textContent = "";
      input.setAttribute("aria-expanded", "false");
      active = -1;
      highlight();
    }

    function choose(index) {
      const option = shown[index];
      if (!option) return;
      if (multiple) {
        option.selected = !option.selected;
        input.value = "";
      } else {
        select.value = option.value;
      }
      close();
      showChosen();
    }

    function open(query) {
      const wanted = fold(query.trim());
      shown = options.filter(
        (option) => !wanted || fold(`${option.text} ${option.dataset.search || ""}`).includes(wanted)
      );
      list.replaceChildren(...shown.map((option, index) => {
        const item = document.createElement("li");
        item.id = `${list.id}-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(option.selected));
        item.textContent = option.text;
        item.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep the focus in the text box
          choose(index);
        });
        return item;
      }));
      list.hidden = shown.length === 0;
      empty.textContent = shown.length ? "" : select.dataset.noMatch;
      input.setAttribute("aria-expanded", String(!list.hidden));
      active = shown.length ? 0 : -1;
      highlight();
    }

    input.addEventListener("input", () => {
      if (!input.value) {
        if (!multiple) select.value = "";
        close(); // an emptied box lists nothing; ArrowDown shows every State
        return;
      }
      open(input.value);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) open(multiple ? input.value : "");
        else active = Math.min(active + 1, shown.length - 1);
        highlight();
      } else if (event.key === "ArrowUp" && !list.hidden) {
        event.preventDefault();
        active = Math.max(active - 1, 0);
        highlight();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // choosing is not submitting
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && multiple && !input.value) {
        const last = options.filter((option) => option.selected).pop();
        if (last) {
          last.selected = false;
          showChosen();
        }
      }
    });
    input.addEventListener("blur", () => {
      close();
      if (!multiple) showChosen();
    });
    showChosen();
  });
});
