// Pictures from the library in a story's body: found by their words, inserted
// where the cursor is as figures with their caption and credit; several chosen
// at once go in side by side, which readers see as a gallery (text/galleries.py).
(function () {
  "use strict";
  let editor = null;
  let shown = null; // the panel's first search, once there is an editor to insert into

  document.addEventListener("prose-editor:ready", (event) => {
    if (event.detail.textarea.id !== "id_body") return;
    editor = event.detail.editor;
    const panel = document.getElementById("body-pictures");
    if (!panel) return;
    panel.hidden = false;
    if (shown) shown();
  });

  function start() {
    const panel = document.getElementById("body-pictures");
    if (!panel) return;
    const query = panel.querySelector("input[type=search]");
    const found = panel.querySelector(".body-pictures-found");
    const insert = panel.querySelector(".body-pictures-insert");
    const chosen = new Map();
    let asked = 0;

    function label() {
      insert.disabled = chosen.size === 0;
      insert.textContent =
        chosen.size > 1 ? insert.dataset.many.replace("{count}", chosen.size) : insert.dataset.one;
    }

    async function look() {
      const ask = ++asked;
      const url = panel.dataset.url + "?" + new URLSearchParams({ q: query.value });
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || ask !== asked) return;
      const results = (await response.json()).results;
      found.replaceChildren(
        ...results.map((picture) => {
          const item = document.createElement("li");
          const box = document.createElement("input");
          const image = document.createElement("img");
          const words = document.createElement("span");
          const choice = document.createElement("label");
          box.type = "checkbox";
          box.checked = chosen.has(picture.id);
          box.addEventListener("change", () => {
            if (box.checked) chosen.set(picture.id, picture.figure);
            else chosen.delete(picture.id);
            label();
          });
          image.src = picture.thumbnail;
          image.alt = "";
          image.width = 96;
          image.height = 64;
          words.textContent = picture.label + (picture.credit ? " · " + picture.credit : "");
          choice.append(box, image, words);
          item.append(choice);
          return item;
        }),
      );
      if (!results.length) {
        const none = document.createElement("li");
        none.textContent = found.dataset.none;
        found.append(none);
      }
    }

    let waiting = null;
    query.addEventListener("input", () => {
      clearTimeout(waiting);
      waiting = setTimeout(look, 250);
    });
    query.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // a search, not the story's save
        look();
      }
    });
    insert.addEventListener("click", () => {
      if (!editor || !chosen.size) return;
      editor.chain().focus().insertContent([...chosen.values()].join("")).run();
      chosen.clear();
      found.querySelectorAll("input[type=checkbox]").forEach((box) => (box.checked = false));
      label();
    });
    label();
    shown = look;
    if (editor) {
      panel.hidden = false;
      look();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
