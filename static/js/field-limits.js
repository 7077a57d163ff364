// What the browser can tell before the server does: a count of characters near a field's limit and an
// error past it (nothing typed is ever cut), and a date the browser could not read, said to be wrong
// rather than sent as empty (an empty date means today).

const NEAR = 0.8; // the count shows from this share of the limit

/** Return how many characters the server will count: a line break in a text box is sent as two (CR LF). */
export function sentLength(control) {
  const text = control.matches("textarea") ? control.value.replace(/\r?\n/g, "\r\n") : control.value;
  return [...text].length;
}

function labelOf(control) {
  const box = control.closest("[data-field]");
  const label = box?.querySelector(".field-label");
  return label ? label.textContent.trim() : control.name;
}

function lengthError(control) {
  const limit = Number(control.dataset.limit);
  const length = sentLength(control);
  if (!limit || length <= limit) return null;
  const over = length - limit;
  return `${labelOf(control)} can be at most ${limit} characters: it has ${length}, `
    + `${over} too many. Nothing has been cut; shorten it and the letter is ready.`;
}

function dateError(control) {
  if (!control.validity.badInput) return null;
  return `${labelOf(control)} is not a date on the calendar: please pick the day again, `
    + "or clear it for today.";
}

/** Return the message for one control, or null when the browser sees nothing wrong with it. */
export function controlError(control) {
  if (control.matches("[data-limit]")) return lengthError(control);
  if (control.matches("input[type=date]")) return dateError(control);
  return null;
}

/** Return {field name: [message]} for every field the browser can see is wrong. */
export function browserErrors(form) {
  const errors = {};
  form.querySelectorAll("[data-limit], input[type=date]").forEach((control) => {
    const message = controlError(control);
    if (message) errors[control.name] = [message];
  });
  return errors;
}

/** Return the dates the browser could not read (they would be sent empty). */
export function unreadableDates(form) {
  return [...form.querySelectorAll("input[type=date]")].filter((control) => control.validity.badInput);
}

function setToken(element, token, present) {
  const tokens = new Set((element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  if (present) tokens.add(token);
  else tokens.delete(token);
  if (tokens.size) element.setAttribute("aria-describedby", [...tokens].join(" "));
  else element.removeAttribute("aria-describedby");
}

/** Show "395 of 400" under a field once it is near its limit; hide it well below. */
export function showCount(control) {
  const limit = Number(control.dataset.limit);
  if (!limit) return;
  const length = sentLength(control);
  const id = `${control.id}-count`;
  let count = document.getElementById(id);
  const near = length >= NEAR * limit;
  if (near && !count) {
    count = document.createElement("p");
    count.className = "count";
    count.id = id;
    control.after(count);
  }
  if (near) {
    const text = `${length} of ${limit}`;
    if (count.textContent !== text) count.textContent = text;
    count.classList.toggle("is-full", length >= limit);
    count.classList.toggle("is-over", length > limit);
  } else if (count) {
    count.remove();
  }
  setToken(control, id, near);
}
