// Drafts kept in this browser (localStorage), one per letter template, never sent anywhere by themselves.

const PREFIX = "letterhouse:draft:";
const NOT_KEPT = new Set(["csrf_token", "action"]);

/** Return the form's values as [name, value] pairs, leaving out what belongs to one page view. */
export function formValues(form) {
  return [...new FormData(form)]
    .filter(([name, value]) => !NOT_KEPT.has(name) && typeof value === "string");
}

/** Return whether two lists of values hold the same pairs, whatever their order (pages list fields differently). */
export function sameValues(a, b) {
  const sorted = (values) => JSON.stringify(values.map((pair) => JSON.stringify(pair)).sort());
  return sorted(a) === sorted(b);
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage switched off: the form still works, it just keeps no draft
  }
}

export function readDraft(slug) {
  try {
    const draft = JSON.parse(storage()?.getItem(PREFIX + slug) || "null");
    return draft && Array.isArray(draft.values) ? draft : null;
  } catch {
    return null;
  }
}

export function saveDraft(slug, values) {
  try {
    storage()?.setItem(PREFIX + slug, JSON.stringify({ savedAt: Date.now(), values }));
  } catch {
    // full or refused: nothing more we can do from here
  }
}

export function discardDraft(slug) {
  try {
    storage()?.removeItem(PREFIX + slug);
  } catch {
    // ignore
  }
}

/** Put saved values back into the form, the way a person would have typed and ticked them. */
export function applyValues(form, values) {
  const byName = new Map();
  values.forEach(([name, value]) => byName.set(name, [...(byName.get(name) || []), value]));
  [...form.elements].forEach((element) => {
    if (!element.name || NOT_KEPT.has(element.name) || element.type === "submit") return;
    const saved = byName.get(element.name) || [];
    if (element.type === "radio" || element.type === "checkbox") {
      element.checked = saved.includes(element.value);
    } else {
      element.value = saved[0] ?? "";
    }
  });
}

/** Return "a moment ago", "5 minutes ago", "yesterday"... for a time in the past. */
export function timeAgo(time, now = Date.now()) {
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return "a moment ago";
}
