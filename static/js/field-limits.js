// What the browser can tell before the server does: a count of characters near a field's limit and an
// error past it (nothing typed is ever cut), and a date the browser could not read, said to be wrong
// rather than sent as empty (an empty date means today).

const NEAR = 0.8; // the count shows from this share of the limit

/** Return how many characters the server will count: a line break is one, as a person counts it. */
export function sentLength(control) {
  return [...control.value.replace(/\r\n?/g, "\n")].length;
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

// The years the server takes (letters/field_types.py): a year typed with a digit too many is a mistake.
const FIRST_YEAR = 1000;
const LAST_YEAR = 2999;

function dateError(control) {
  if (control.validity.badInput) {
    return `${labelOf(control)} is not a date on the calendar: please pick the day again, or clear it for today.`;
  }
  const year = Number(control.value.split("-")[0]);
  if (control.value && !(year >= FIRST_YEAR && year <= LAST_YEAR)) {
    return `${labelOf(control)} must be a date between the years ${FIRST_YEAR} and ${LAST_YEAR}: `
      + `the year reads ${year}.`;
  }
  return null;
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

/** Return the dates the browser could not read (sent empty, they would date the letter today). */
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
