"use strict";
(() => {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const storeKey = "apibind-review:" + data.key;
  const rows = Array.from(document.querySelectorAll("tr.item"));
  const rowOf = new Map(rows.map((row) => [row.id, row]));
  const pages = new Map(Array.from(document.querySelectorAll("pre.page")).map((p) => [p.dataset.file, p]));
  const texts = new Map(rows.map((row) => [row, row.textContent.toLowerCase()]));
  const aside = document.getElementById("source");
  let state = load();
  let current = null;

  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && saved.items && saved.bodies && saved.drop) return saved;
    } catch (error) { /* storage unavailable or corrupt: start afresh */ }
    return { items: {}, bodies: {}, drop: [] };
  }

  function store() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (error) { /* private mode */ }
    progress();
  }

  // -- decisions --------------------------------------------------------------------------
  function decide(id, change) {
    const item = data.items[id];
    if (!item || item.depth === 0) return;
    const next = Object.assign({}, change === null ? {} : state.items[id] || {}, change || {});
    if (next.rename !== undefined && (next.rename === item.name || !next.rename.trim())) delete next.rename;
    if (next.type !== undefined && next.type === item.type) delete next.type;
    if (next.remove) { delete next.accept; delete next.rename; delete next.type; }
    if (next.accept === false) delete next.accept;
    if (Object.keys(next).length) state.items[id] = next; else delete state.items[id];
    store();
    paint(id);
  }

  // Accepting a body's root pins the nesting apibind chose (or the one picked); else the item.
  function accept(id) {
    const item = data.items[id];
    const key = item.op + " " + item.pointer;
    if (item.depth > 0) decide(id, { accept: true, remove: false });
    else if (data.bodies[key]) choose(key, state.bodies[key] || 0);
  }

  function choose(key, index) {
    state.bodies[key] = index;
    store();
    for (const radio of document.querySelectorAll(".alt input[type=radio]")) {
      if (radio.name === "alt " + key) radio.checked = Number(radio.value) === index;
    }
  }

  function paint(id) {
    const row = rowOf.get(id);
    const item = data.items[id];
    if (!row || !item) return;
    const d = state.items[id] || {};
    const input = row.querySelector("input.rename");
    const select = row.querySelector("select.retype");
    if (input && document.activeElement !== input) input.value = d.rename || item.name;
    if (select) select.value = d.type || item.type;
    const words = [];
    if (d.remove) words.push("remove");
    if (d.accept) words.push("accepted");
    if (d.rename) words.push("rename → " + d.rename);
    if (d.type) words.push("type → " + d.type);
    row.querySelector(".decision").textContent = words.join(", ");
    row.classList.toggle("decided", words.length > 0 && !d.remove);
    row.classList.toggle("removed", Boolean(d.remove));
  }

  function entries() {
    const found = [];
    const byBody = new Map(Object.entries(state.bodies).map(([key, index]) => [key, clone(data.bodies[key][index])]));
    for (const [id, d] of Object.entries(state.items)) {
      const item = data.items[id];
      if (!item) continue;
      const entry = { operation: item.op, pointer: item.pointer };
      if (d.remove) entry.remove = true;
      else {
        if (d.rename || d.accept) entry.rename = d.rename || item.name;
        const type = d.type || (d.accept && item.inferred.includes("type") ? item.type : null);
        if (type) entry.set = { type: type };
      }
      if (!intoChosenSchema(byBody, entry)) found.push([item.depth, Number(id.slice(1)), entry]);
    }
    for (const [key, schema] of byBody) {
      const space = key.indexOf(" ");
      found.push([0, Infinity, { operation: key.slice(0, space), pointer: key.slice(space + 1), schema: schema }]);
    }
    found.sort((a, b) => b[0] - a[0] || a[1] - b[1]); // deepest first: pointers use today's names
    return found.map((x) => x[2]);
  }

  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  // A decision inside a body whose nesting was chosen goes into that schema, if its path is there.
  function intoChosenSchema(byBody, entry) {
    for (const [key, schema] of byBody) {
      const prefix = key.slice(key.indexOf(" ") + 1);
      if (key.slice(0, key.indexOf(" ")) !== entry.operation || !entry.pointer.startsWith(prefix + "/")) continue;
      const steps = entry.pointer.slice(prefix.length + 1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
      let parent = null, name = null, node = schema;
      while (steps.length && node) {
        const step = steps.shift();
        if (step === "items") { parent = null; node = node.items; }
        else if (step === "properties" && steps.length) { name = steps.shift(); parent = node; node = (node.properties || {})[name]; }
        else node = null;
      }
      if (!node || !parent) return false;
      if (entry.set) Object.assign(node, entry.set);
      if (entry.remove || (entry.rename && entry.rename !== name)) {
        const props = {};
        for (const [k, v] of Object.entries(parent.properties)) {
          if (k !== name) props[k] = v;
          else if (!entry.remove) props[entry.rename] = v;
        }
        parent.properties = props;
      }
      return true;
    }
    return false;
  }

  function yamlEntries(list) {
    const pad = " ".repeat(data.overrides.indent);
    return list.map((entry) => Object.entries(entry).map(([key, value], i) =>
      (i ? pad + "  " : pad + "- ") + key + ": " +
      JSON.stringify(value, null, typeof value === "object" ? 2 : 0).split("\n").join("\n" + pad + "    ")
    ).join("\n") + "\n").join("");
  }

  function overridesText() {
    const list = entries();
    const drop = state.drop.map((line) => data.overrides.spans[line]).filter(Boolean);
    if (!list.length && !drop.length) return data.overrides.original;
    let head = data.overrides.head.split("\n")
      .filter((_, n) => !drop.some(([start, end]) => n >= start && n < end)).join("\n");
    if (Object.keys(data.overrides.spans).length - drop.length + list.length === 0) {
      head = head.replace(/^overrides:[ \t]*$/m, "overrides: []");
    }
    return head + yamlEntries(list) + data.overrides.tail;
  }

  // -- filters, search, navigation --------------------------------------------------------
  function filterRows() {
    const active = Array.from(document.querySelectorAll("input.filter:checked")).map((f) => f.value);
    const query = document.getElementById("search").value.trim().toLowerCase();
    for (const row of rows) {
      const item = data.items[row.id];
      const flagged = !active.length || active.some((f) =>
        f === "open" ? item.inferred.length > 0 && !state.items[row.id] : item.flags.includes(f));
      const matches = !query || texts.get(row).includes(query) ||
        (state.items[row.id] || {}).rename?.toLowerCase().includes(query);
      row.hidden = !(flagged && matches);
    }
    for (const body of document.querySelectorAll("div.body")) {
      body.hidden = !body.querySelector("tr.item:not([hidden])");
    }
    for (const op of document.querySelectorAll("section.op")) {
      op.hidden = !op.querySelector("tr.item:not([hidden])");
    }
  }

  function reviewable() {
    return rows.filter((row) => !row.hidden && data.items[row.id].inferred.length > 0);
  }

  function move(step) {
    const list = reviewable();
    if (!list.length) return;
    const at = list.indexOf(current);
    const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1);
    select(list[next]);
  }

  function select(row) {
    if (current) current.classList.remove("current");
    current = row;
    row.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
    const item = data.items[row.id];
    showSource(item.file, item.lines, item.refs.map(([file, line]) => [file || item.file, line]));
  }

  function showSource(file, lines, refs) {
    const title = document.getElementById("source-title");
    for (const [name, page] of pages) page.hidden = name !== file;
    const page = pages.get(file);
    for (const old of aside.querySelectorAll("pre.page > span.hi, pre.page > span.ref")) old.classList.remove("hi", "ref");
    if (!page) { title.textContent = "No scraped page for this item."; return; }
    const at = (n) => page.children[n - 1];
    for (const [refFile, n] of refs) if (refFile === file && at(n)) at(n).classList.add("ref");
    for (let n = lines[0]; n <= lines[1]; n++) if (at(n)) at(n).classList.add("hi");
    const others = refs.filter(([refFile]) => refFile !== file).map(([f, n]) => f + ":" + n);
    title.textContent = file + ":" + lines[0] + (lines[1] > lines[0] ? "–" + lines[1] : "") +
      (others.length ? "  (evidence also at " + others.join(", ") + ")" : "");
    if (at(lines[0])) aside.scrollTop = at(lines[0]).offsetTop - aside.clientHeight / 3;
  }

  function progress() {
    const open = Object.keys(data.items).filter((id) => data.items[id].inferred.length > 0);
    const done = open.filter((id) => state.items[id]).length;
    document.getElementById("progress").textContent = done + " of " + open.length +
      " inferred items decided, " + Object.keys(state.bodies).length + " nestings chosen, " +
      state.drop.length + " stale overrides deleted";
  }

  // -- wiring ------------------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const target = event.target;
    const row = target.closest("tr.item");
    const goto = target.closest("a.goto");
    if (goto) {
      event.preventDefault();
      const line = Number(goto.dataset.line);
      showSource(goto.dataset.file, [line, line], []);
      return;
    }
    if (!row) return;
    const id = row.id;
    if (target.matches("button.accept")) accept(id);
    else if (target.matches("button.remove")) decide(id, { remove: true });
    else if (target.matches("button.undo")) decide(id, null);
    select(row);
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    const row = target.closest("tr.item");
    if (target.matches("input.rename")) decide(row.id, { rename: target.value.trim(), remove: false });
    else if (target.matches("select.retype")) decide(row.id, { type: target.value, remove: false });
    else if (target.matches("input.filter")) filterRows();
    else if (target.matches("input.drop")) {
      state.drop = state.drop.filter((line) => line !== target.value);
      if (target.checked) state.drop.push(target.value);
      store();
    } else if (target.matches(".alt input[type=radio]")) choose(target.name.slice(4), Number(target.value));
  });

  document.getElementById("search").addEventListener("input", filterRows);

  document.addEventListener("keydown", (event) => {
    const inField = event.target.matches("input, select, textarea");
    if (inField) {
      if (event.key === "Enter" || event.key === "Escape") {
        if (event.key === "Escape" && event.target.matches("input.rename")) event.target.value = data.items[event.target.closest("tr").id].name;
        event.target.blur();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const id = current && current.id;
    const actions = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      a: () => { if (id) { accept(id); move(1); } },
      x: () => { if (id) decide(id, { remove: true }); },
      u: () => { if (id) decide(id, null); },
      r: () => { const input = current && current.querySelector("input.rename"); if (input) { input.focus(); input.select(); } },
      "/": () => document.getElementById("search").focus(),
    };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });

  document.getElementById("download").addEventListener("click", () => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([overridesText()], { type: "application/yaml" }));
    link.download = "overrides.yaml";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  });

  const saveButton = document.getElementById("save");
  if (saveButton) saveButton.addEventListener("click", async () => {
    const response = await fetch("save?token=" + encodeURIComponent(data.token), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: overridesText(), sha256: data.overrides.sha256 }),
    });
    const answer = await response.json();
    if (!response.ok) { alert(answer.message); return; }
    localStorage.removeItem(storeKey);
    location.reload();
  });

  for (const [key, index] of Object.entries(state.bodies)) choose(key, index);
  for (const box of document.querySelectorAll("input.drop")) box.checked = state.drop.includes(box.value);
  for (const id of Object.keys(state.items)) paint(id);
  progress();
})();
