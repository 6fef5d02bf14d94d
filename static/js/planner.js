// Small progressive enhancements; every page works without them.

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
document.addEventListener("input", (event) => {
  const input = event.target.closest("[data-echo]");
  if (!input) return;
  const form = input.closest("form");
  form?.querySelectorAll(`[data-echo-of="${input.dataset.echo}"]`).forEach((el) => {
    if (/^\d+$/.test(input.value)) el.textContent = input.value;
  });
});
