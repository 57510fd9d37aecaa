/* The editorial change forms: one language switch for every translated field (remembered
   in this browser, Thai first), folded sections opened where an error is, and names for the
   autocomplete widgets (select2), which label none of their own controls. */
"use strict";
(function () {
  const STORE = "newsroom.admin.language";
  const PREFIX = "mt-field-";

  /* Each translated widget: its field (the group its languages share) and its language. */
  function translatedWidgets(form) {
    const widgets = [];
    for (const el of form.querySelectorAll(".mt")) {
      if (el.closest(".empty-form")) continue;
      const cls = [...el.classList].find((c) => c.startsWith(PREFIX));
      if (!cls) continue;
      const language = cls.slice(cls.lastIndexOf("-") + 1);
      const group = el.id.slice(0, el.id.length - language.length - 1);
      widgets.push({ el, language, group });
    }
    return widgets;
  }

  /* What is hidden with a language: the field's row (or its box in a row of several). */
  function container(widget) {
    return widget.el.closest(".fieldBox") || widget.el.closest(".form-row");
  }

  function languageSwitch(form) {
    const box = document.getElementById("language-switch");
    if (!box) return;
    const buttons = [...box.querySelectorAll("button[data-language]")];
    const languages = buttons.map((b) => b.dataset.language);
    let current = null;

    // Only fields present in two languages are switched: a translator's read-only original
    // stays beside the one language they write.
    function switched() {
      const widgets = translatedWidgets(form);
      const counts = {};
      for (const w of widgets) counts[w.group] = (counts[w.group] || 0) + 1;
      return widgets.filter((w) => counts[w.group] > 1);
    }

    function show(language) {
      current = language;
      for (const w of switched()) container(w).hidden = w.language !== language;
      for (const b of buttons) {
        b.setAttribute("aria-pressed", String(b.dataset.language === language));
      }
    }

    const fields = switched();
    if (!fields.length) return;
    // A field with an error is shown first; then the editor's last choice; then the original.
    const erring = fields.find((w) => w.el.closest(".errors"));
    const stored = localStorage.getItem(STORE);
    show(erring ? erring.language : languages.includes(stored) ? stored : languages[0]);
    box.hidden = false;
    for (const b of buttons) {
      b.addEventListener("click", () => {
        localStorage.setItem(STORE, b.dataset.language);
        show(b.dataset.language);
      });
    }
    // A row added to an inline (a citation, a note) opens in the chosen language too.
    document.addEventListener("formset:added", () => show(current));
  }

  /* A folded section holding an error is opened: the error is never out of sight. */
  function openErrors(form) {
    for (const details of form.querySelectorAll("details")) {
      if (details.querySelector(".errorlist, .errors")) details.open = true;
    }
  }

  /* select2 draws its own controls after the hidden <select>: they get the select's name. */
  function labelFor(select) {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    return label ? label.textContent.trim().replace(/:$/, "") : select.name;
  }

  function nameSelect2(root) {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) continue;
      const name = labelFor(select);
      const controls = "[role=combobox], [role=textbox], .select2-search__field";
      for (const el of container.querySelectorAll(controls)) {
        el.setAttribute("aria-label", name);
      }
      // The multiple selection's list holds a clear button (a span) beside its items.
      for (const list of container.querySelectorAll("ul.select2-selection__rendered")) {
        list.setAttribute("role", "list");
        for (const child of list.children) {
          if (child.tagName !== "LI") child.setAttribute("role", "listitem");
        }
      }
    }
  }

  function start() {
    const form = document.querySelector("#content-main form");
    if (!form) return;
    languageSwitch(form);
    openErrors(form);
    nameSelect2(form);
    // select2 redraws its controls on every change and on rows added: name them again.
    const observer = new MutationObserver(() => nameSelect2(form));
    observer.observe(form, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
