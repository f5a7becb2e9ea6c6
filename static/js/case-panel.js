// The case workspace's side panel: opened and closed by one button, the choice kept per user
// in this browser. Without script the panel simply stays open below or beside the conversation.
(() => {
  "use strict";

  const workspace = document.getElementById("workspace");
  const panel = document.getElementById("case-panel");
  const toggle = document.getElementById("panel-toggle");
  if (!workspace || !panel || !toggle) {
    return;
  }
  const key = workspace.dataset.panelKey;
  const wide = window.matchMedia("(min-width: 1000px)");

  function remembered() {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null; // storage refused (private mode, policy): fall back to the width
    }
  }

  function show(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    workspace.classList.toggle("panel-open", open);
  }

  const stored = remembered();
  show(stored === null ? wide.matches : stored === "open");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = panel.hidden;
    show(open);
    try {
      window.localStorage.setItem(key, open ? "open" : "closed");
    } catch {
      // not remembered; the panel still opens and closes
    }
    if (open) {
      panel.querySelector("h2")?.setAttribute("tabindex", "-1");
      panel.querySelector("h2")?.focus();
    }
  });
  // Escape closes the panel from inside it and gives the focus back to its button.
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      toggle.click();
      toggle.focus();
    }
  });
})();
