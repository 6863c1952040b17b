// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// The language switchers apply as soon as a choice is made.
document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});

// Number keys pick a choice (1 = first shown); Enter submits as usual.
document.addEventListener("keydown", (event) => {
  const form = document.querySelector("form.answer");
  if (!form || event.altKey || event.ctrlKey || event.metaKey) return;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) && event.target.type !== "radio" && event.target.type !== "checkbox") return;
  const n = parseInt(event.key, 10);
  const inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
  if (n >= 1 && n <= inputs.length) {
    const input = inputs[n - 1];
    input.checked = input.type === "radio" ? true : !input.checked;
    input.focus();
    event.preventDefault();
  }
});

// After answering, bring the feedback into view and focus for screen readers.
const feedback = document.getElementById("feedback");
if (feedback) feedback.scrollIntoView({ block: "start" });
