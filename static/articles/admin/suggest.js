// The story form proposes the countries, organizations, people and events its
// text names (articles/desk/suggest.py), each with a button that links it. Asked
// when the form opens and after each pause in typing.
"use strict";
{
  const RELATIONS = ["countries", "organizations", "people", "events"];
  const LABELS = {
    countries: "Quốc gia", organizations: "Tổ chức", people: "Nhân vật", events: "Sự kiện",
  };
  const PAUSE_MS = 700;

  function storyText(form) {
    const parts = ["headline", "sapo", "body"].map((name) => {
      const field = form.elements.namedItem(name);
      return field ? field.value : "";
    });
    // The body is HTML: its words are what matter.
    const body = new DOMParser().parseFromString(parts[2], "text/html").body.textContent;
    return [parts[0], parts[1], body].join("\n");
  }

  function selected(form, relation) {
    const select = form.elements.namedItem(relation);
    return select ? Array.from(select.selectedOptions, (o) => o.value) : [];
  }

  function link(form, suggestion) {
    const select = form.elements.namedItem(suggestion.kind);
    if (!select) return;
    let option = Array.from(select.options).find((o) => o.value === String(suggestion.id));
    if (!option) {
      option = new Option(suggestion.name, suggestion.id, true, true);
      select.append(option);
    }
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
  }

  function render(box, form, suggestions) {
    box.replaceChildren();
    const heading = document.createElement("h3");
    heading.textContent = "Bài viết nhắc đến";
    box.append(heading);
    if (!suggestions.length) {
      const none = document.createElement("p");
      none.textContent = "Chưa thấy quốc gia, tổ chức, nhân vật hay sự kiện nào có trong hệ thống.";
      box.append(none);
      return;
    }
    const list = document.createElement("ul");
    for (const s of suggestions) {
      const item = document.createElement("li");
      item.dataset.kind = s.kind;
      item.dataset.slug = s.slug;
      const label = document.createElement("span");
      label.textContent = `${LABELS[s.kind]}: ${s.name}` + (s.matched !== s.name ? ` (“${s.matched}”)` : "");
      item.append(label, " ");
      if (s.linked || selected(form, s.kind).includes(String(s.id))) {
        const done = document.createElement("em");
        done.textContent = "đã liên kết";
        item.append(done);
      } else {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = "Liên kết";
        button.addEventListener("click", () => {
          link(form, s);
          button.replaceWith(Object.assign(document.createElement("em"), { textContent: "đã liên kết" }));
        });
        item.append(button);
      }
      list.append(item);
    }
    box.append(list);
  }

  function start() {
    const form = document.getElementById("article_form");
    const box = document.getElementById("entity-suggestions");
    if (!form || !box) return;
    const url = box.dataset.url;
    // Shown above the fieldset of links, where "Liên kết" puts them.
    const links = form.elements.namedItem("organizations");
    const fieldset = links && links.closest("fieldset");
    if (fieldset) fieldset.before(box);
    let timer = null;
    let asked = "";
    async function ask() {
      const text = storyText(form);
      if (text === asked) return;
      asked = text;
      const data = new FormData();
      data.append("text", text);
      data.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
      for (const relation of RELATIONS) for (const id of selected(form, relation)) data.append(relation, id);
      const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin" });
      if (response.ok) render(box, form, (await response.json()).suggestions);
    }
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, PAUSE_MS);
    });
    ask();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

// "Bỏ qua" on a proposed outcome ("Đề xuất kết quả"): out of the list until the
// form is opened again; nothing is stored, as nothing was accepted.
document.addEventListener("click", (event) => {
  const id = event.target instanceof HTMLElement && event.target.dataset.reject;
  const item = id && document.getElementById(id);
  if (item) item.hidden = true;
});
