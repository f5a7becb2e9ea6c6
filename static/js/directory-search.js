// Directory search as you type: asks /api/v1/search with the session cookie and redraws the list.
(() => {
  const form = document.getElementById("directory-search");
  if (!form) return;
  const labels = document.getElementById("directory-labels").dataset;
  const list = document.getElementById("directory-list");
  const count = document.getElementById("directory-count");
  const pages = document.getElementById("directory-pages");
  const typeLabels = { state: labels.state, authority: labels.authority, focal_point: labels.focalPoint };
  let timer = null;
  let latest = 0;
  let page = 1;

  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); };

  const empty = () => {
    let note = document.getElementById("directory-empty");
    if (!note) {
      note = document.createElement("p");
      note.id = "directory-empty";
      note.className = "empty-state";
      list.after(note);
    }
    return note;
  };

  const markedLabel = (item) => {
    const bdi = document.createElement("bdi");
    let position = 0;
    for (const [start, end] of item.highlights) {
      bdi.append(item.label.slice(position, start));
      const mark = document.createElement("mark");
      mark.textContent = item.label.slice(start, end);
      bdi.append(mark);
      position = end;
    }
    bdi.append(item.label.slice(position));
    return bdi;
  };

  const pageButton = (text, target) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small";
    button.textContent = text;
    button.addEventListener("click", () => { page = target; run(); });
    return button;
  };

  const draw = (data, perPage) => {
    clear(list);
    clear(pages);
    for (const item of data.items) {
      const li = document.createElement("li");
      li.className = `result result-${item.type}`;
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = typeLabels[item.type];
      const link = document.createElement("a");
      link.href = item.url;
      link.append(markedLabel(item));
      const detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = ` ${item.state} · ${item.detail}`;
      li.append(badge, " ", link, detail);
      if (item.stale) {
        const stale = document.createElement("span");
        stale.className = "badge badge-stale";
        stale.textContent = labels.stale;
        li.append(" ", stale);
      }
      list.append(li);
    }
    count.textContent = data.total === 1 ? labels.one : labels.many.replace("{n}", data.total);
    const note = empty();
    note.textContent = labels.empty;
    note.hidden = data.items.length > 0;
    const last = Math.max(1, Math.ceil(data.total / perPage));
    if (last > 1) {
      const nav = document.createElement("nav");
      nav.className = "pagination";
      if (data.page > 1) nav.append(pageButton(labels.previous, data.page - 1));
      nav.append(`${data.page} / ${last}`);
      if (data.page < last) nav.append(pageButton(labels.next, data.page + 1));
      pages.append(nav);
    }
  };

  const run = async () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim()) params.set(name, String(value).trim());
    }
    if (![...params.keys()].length) return;
    const pageParams = new URLSearchParams(params);
    params.set("page", String(page));
    params.set("per_page", "20");
    const ticket = ++latest;
    try {
      const response = await fetch(`${form.dataset.api}?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (ticket !== latest) return;
      if (!response.ok) throw new Error(String(response.status));
      draw(await response.json(), 20);
      if (page > 1) pageParams.set("page", String(page));
      history.replaceState(null, "", `${form.action}?${pageParams}`);
    } catch (error) {
      if (ticket === latest) {
        const note = empty();
        note.hidden = false;
        note.textContent = labels.error;
      }
    }
  };

  const schedule = () => {
    page = 1;
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  };

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => { event.preventDefault(); page = 1; run(); });
})();
