// Small progressive enhancements; every page works without them.

// htmx runs the scripts of a page it swaps in (hx-boost): the listeners below were added a second time, and a
// confirmation was asked twice after running the scheduler.  Set up once per page load.
if (!window.plannerReady) {
  window.plannerReady = true;

  // A form sent by htmx (hx-boost) that comes back 4xx holds its errors at the fields: show it. htmx's default
  // drops 4xx answers, and the scheduler's form with a bad time limit did nothing at all.
  if (window.htmx) {
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "4..", swap: true, error: false},
      {code: "...", swap: false, error: true},
    ];
  }

  // Listeners on the document, so that they also serve content htmx swaps in.
  document.addEventListener("click", (event) => {
    const confirmed = event.target.closest("[data-confirm]");
    if (confirmed && !window.confirm(confirmed.dataset.confirm)) event.preventDefault();
    if (event.target.closest("[data-print]")) window.print();
  });

  // The scheduler's progress note names the time limit typed, not the one the page was drawn with.
  const echo = (input) => {
    input.closest("form")?.querySelectorAll(`[data-echo-of="${input.dataset.echo}"]`).forEach((el) => {
      if (/^\d+$/.test(input.value)) el.textContent = input.value;
    });
  };
  document.addEventListener("input", (event) => {
    const input = event.target.closest("[data-echo]");
    if (input) echo(input);
  });
  // and what was typed while a slow page was still loading this script
  document.querySelectorAll("[data-echo]").forEach(echo);

  // A second click on Save while the first is on its way sent the form twice (two follow-ups, two
  // delegations): a form is sent once until its answer comes, or a few seconds pass (a download leaves the
  // page as it was). Buttons are not disabled, so the pressed one's name and value still go with the form.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    setTimeout(() => delete form.dataset.sending, 5000);
  });
  window.addEventListener("pageshow", () => {  // back to a page kept in the browser's cache
    document.querySelectorAll("form[data-sending]").forEach((form) => delete form.dataset.sending);
  });

  // A long list of people to tick: the filter box hides the names that do not match what is typed (in either
  // kana script, full- or half-width, any case, spaces ignored; the name in the other script counts too, from
  // the box's data-search); ticked names stay in view.
  const folded = (text) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, "")
    .replace(/[\u30a1-\u30f6]/g, (kana) => String.fromCharCode(kana.charCodeAt(0) - 0x60));
  document.addEventListener("input", (event) => {
    const box = event.target.closest("[data-filter-options]");
    if (!box) return;
    const list = document.getElementById(box.dataset.filterOptions);
    if (!list) return;
    const wanted = folded(box.value.trim());
    let shown = 0;
    list.querySelectorAll(".form-check").forEach((row) => {
      const box = row.querySelector("input");
      const keep = !wanted || box.checked || folded(row.textContent + (box.dataset.search || "")).includes(wanted);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    const none = list.parentElement.querySelector(".people-filter-none");
    if (none) none.hidden = shown > 0;
  });
  // Enter in the filter box would send the form half-chosen.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest("[data-filter-options]")) event.preventDefault();
  });

  // A form that came back with errors: a summary at its top names the fields to correct (each a link to its
  // field) and takes the focus, so a screen reader announces that something failed and a keyboard user starts
  // there (the errors themselves sit at their fields, tied to them with aria-describedby).
  function summariseErrors(root) {
    const errors = [...root.querySelectorAll("form .invalid-feedback[id$='-error']")];
    const forms = [...new Set(errors.map((error) => error.closest("form")))];
    forms.forEach((form, index) => {
      let box = form.querySelector(".error-summary");
      if (!box) {
        box = document.createElement("div");
        box.className = "alert alert-danger error-summary";
        box.setAttribute("role", "alert");
        box.tabIndex = -1;
        const head = document.createElement("p");
        head.className = "mb-1 fw-semibold";
        head.textContent = document.body.dataset.errorSummary || "";
        const list = document.createElement("ul");
        list.className = "mb-0";
        for (const error of errors.filter((e) => e.closest("form") === form)) {
          const id = error.id.slice(0, -"-error".length);
          const group = error.closest("fieldset, .mb-3");
          const target = form.querySelector(`[id="${id}"]`) || form.querySelector(`[id="${id}-0"]`)
            || group?.querySelector("input:not([type=hidden]), select, textarea") || error;
          if (!target.id) continue;
          const label = form.querySelector(`label[for="${id}"]`)?.textContent.trim()
            || group?.querySelector("legend")?.textContent.trim().replace(/\s+/g, " ") || id;
          const link = document.createElement("a");
          link.href = `#${target.id}`;
          link.textContent = label;
          const item = document.createElement("li");
          item.append(link);
          list.append(item);
        }
        box.append(head, list);
        form.prepend(box);
      }
      if (index === 0) box.focus();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => summariseErrors(document));
  } else {
    summariseErrors(document);
  }
  document.addEventListener("htmx:afterSwap", (event) => summariseErrors(event.detail.target));

  // On a narrow screen a wide table scrolls sideways in its own box (.table-responsive). A box with no link or
  // field inside cannot be scrolled from the keyboard (WCAG 2.1.1): while it overflows, the box itself takes the
  // focus (arrow keys then scroll it), as a group named after the heading above it. Boxes with links scroll
  // as the links take the focus, so they get no extra tab stop.
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
  function headingBefore(element) {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      for (let prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        const heading = prev.matches("h1, h2, h3, h4, h5, h6") ? prev : [...prev.querySelectorAll("h1, h2, h3, h4, h5, h6")].pop();
        if (heading) return heading.textContent.replace(/\s+/g, " ").trim();
      }
    }
    return document.querySelector("h1")?.textContent.replace(/\s+/g, " ").trim() || "";
  }
  function keyboardScroll() {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      const ours = box.dataset.keyboardScroll === "1";
      const scrolls = box.scrollWidth > box.clientWidth + 1 && (ours || !box.querySelector(focusable));
      if (scrolls && !ours) {
        box.dataset.keyboardScroll = "1";
        box.tabIndex = 0;
        box.setAttribute("role", "group");  // not "region": inside a section named by the same heading, two
        // landmarks of one name would be confusing
        const caption = box.querySelector("caption")?.textContent.replace(/\s+/g, " ").trim();
        box.setAttribute("aria-label", caption || headingBefore(box));
      } else if (!scrolls && ours) {
        delete box.dataset.keyboardScroll;
        ["tabindex", "role", "aria-label"].forEach((name) => box.removeAttribute(name));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", keyboardScroll);
  } else {
    keyboardScroll();
  }
  let resizing;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(keyboardScroll, 150);
  });
  document.addEventListener("htmx:afterSwap", keyboardScroll);

  // The scheduler runs for seconds: its progress note is only shown (display), which screen readers do not
  // announce, and the pressed button is disabled, which drops the focus.  Say the note in the page's live
  // region and put the focus on it.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.target.closest?.("form");
    const note = form?.querySelector(".b2b-progress[role='status']");
    const live = document.getElementById("live-status");
    if (!note || !live) return;
    live.textContent = note.textContent.replace(/\s+/g, " ").trim();
    note.tabIndex = -1;
    setTimeout(() => note.focus(), 0);
  });
}
