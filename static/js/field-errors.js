// Errors beside their fields and in the summary at the top: always the server's own messages,
// placed with the same markup the server renders, so a page reads the same with or without JavaScript.

export function fieldBoxes(form) {
  return [...form.querySelectorAll("[data-field]")];
}

function isPicker(box) {
  return box.matches("fieldset");
}

function controlOf(box) {
  return box.querySelector("input, textarea, select");
}

// The element whose id names the field's notes: the picker's fieldset, or the single control.
function describedElement(box) {
  return isPicker(box) ? box : controlOf(box);
}

function setToken(element, attribute, token, present) {
  const tokens = new Set((element.getAttribute(attribute) || "").split(/\s+/).filter(Boolean));
  if (present) tokens.add(token);
  else tokens.delete(token);
  if (tokens.size) element.setAttribute(attribute, [...tokens].join(" "));
  else element.removeAttribute(attribute);
}

/** Show (or clear, with no messages) one field's error, exactly where the server would put it. */
export function setFieldError(box, messages) {
  const target = describedElement(box);
  const errorId = `${target.id}-error`;
  const text = (messages || []).join(" ");
  let note = document.getElementById(errorId);
  box.classList.toggle("has-error", Boolean(text));
  if (text && !note) {
    note = document.createElement("p");
    note.className = "error";
    note.id = errorId;
    box.append(note);
  }
  if (text && note.textContent !== text) note.textContent = text;
  if (!text && note) note.remove();
  setToken(target, "aria-describedby", errorId, Boolean(text));
  const controls = isPicker(box) ? box.querySelectorAll("input") : [target];
  controls.forEach((control) => {
    if (text) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  });
}

/** Take away the summary's lines for fields that are now right; the summary goes when it is empty. */
export function pruneSummary(errors) {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.querySelectorAll("[data-summary-for]").forEach((item) => {
    if (!errors[item.dataset.summaryFor]) item.remove();
  });
  if (!summary.querySelector("[data-summary-for]")) summary.remove();
}

/** Return the control a person should land on for a field: the chosen radio of a picker, or the control. */
export function focusTarget(element) {
  if (!element) return null;
  if (element.matches("fieldset")) {
    return element.querySelector("input:checked") || element.querySelector("input");
  }
  return element;
}

function focusControl(control) {
  if (!control) return;
  control.focus({ preventScroll: true });
  const box = control.closest("[data-field]") || control;
  box.scrollIntoView({ block: "center" });
}

/** After a submit the server refused: move focus to the first field it named, and make the summary's links focus theirs. */
export function guideToErrors(form) {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = focusTarget(document.getElementById(decodeURIComponent(link.hash.slice(1))));
    if (!target) return;
    event.preventDefault();
    focusControl(target);
  });
  const firstBox = fieldBoxes(form).find((box) => box.classList.contains("has-error"));
  focusControl(firstBox ? focusTarget(describedElement(firstBox)) : null);
}
