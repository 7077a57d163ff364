// The letter form: a live preview beside it, drafts kept in this browser, errors that guide,
// and a word before leaving with changes that have not been made into a letter yet.

import { applyValues, discardDraft, formValues, readDraft, sameValues, saveDraft, timeAgo } from "./drafts.js";
import { fieldBoxes, focusTarget, guideToErrors, pruneSummary, setFieldError } from "./field-errors.js";
import { browserErrors, controlError, showCount, unreadableDates } from "./field-limits.js";
import { LivePreview } from "./live-preview.js";

const SAVE_DELAY_MS = 400;

function setUp(form) {
  const slug = form.dataset.slug;
  const loaded = formValues(form);
  const changed = () => !sameValues(formValues(form), loaded);
  // A field shows its error once the person has been through it, or once the server has named it.
  const touched = new Set(fieldBoxes(form).filter((box) => box.classList.contains("has-error"))
    .map((box) => box.dataset.field));
  const flagged = new Set(); // fields showing an error the browser found (too long, a date it could not read)
  const check = (control) => {
    const box = control.closest?.("[data-field]");
    if (!box || !control.name) return;
    showCount(control);
    const message = controlError(control);
    if (message) flagged.add(control.name);
    if (message || flagged.delete(control.name)) setFieldError(box, message ? [message] : null);
  };
  form.querySelectorAll("[data-limit]").forEach(showCount); // text the server sent back whole, counted
  ["input", "change", "focusout"].forEach((type) => form.addEventListener(type, (event) => check(event.target)));
  // A date the browser could not read would be sent empty and the letter dated today: say so instead.
  form.addEventListener("submit", (event) => {
    const dates = unreadableDates(form);
    if (!dates.length) return;
    event.preventDefault();
    dates.forEach(check);
    focusTarget(dates[0]).focus();
  });

  const drafts = new DraftKeeper(form, slug, changed);
  let submitting = false;

  form.addEventListener("change", (event) => touched.add(event.target.name));
  // The words page keeps a draft only of words changed there: the template's own are not a draft to offer back.
  const keepUnchanged = !form.hasAttribute("data-draft-only-if-changed");
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    submitting = true;
    if (keepUnchanged || changed()) drafts.saveNow();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitting = false; // came back to this very page with the Back button
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !changed()) return;
    drafts.saveNow();
    event.preventDefault();
    event.returnValue = "";
  });

  const showErrors = (errors) => {
    const mine = browserErrors(form);
    fieldBoxes(form).forEach((box) => {
      const name = box.dataset.field;
      setFieldError(box, mine[name] || (touched.has(name) ? errors[name] : null));
    });
    pruneSummary({ ...errors, ...mine });
  };
  guideToErrors(form);
  drafts.offer(loaded);
  const panel = document.querySelector("[data-live-preview]");
  if (panel && form.dataset.previewUrl) new LivePreview(form, panel, showErrors, askAboutOwnWords).start();
}

// The letter in the person's own words: shown once it has words (a draft restored brings them back).
function revealOwnWords(form) {
  const box = form.querySelector("[data-own-words]");
  if (box && box.querySelector("textarea")?.value.trim()) box.hidden = false;
}

// A detail changed after the words were edited: ask whether to keep them or write the letter again
// from the template. The server tells which details changed; the buttons are the page's own.
function askAboutOwnWords(answer) {
  const choice = document.querySelector("[data-words-choice]");
  if (!choice || typeof answer.words_changed !== "string") return;
  choice.querySelector("[data-words-changed]").textContent = answer.words_changed;
  choice.hidden = !answer.words_changed;
}

class DraftKeeper {
  constructor(form, slug, changed) {
    this.form = form;
    this.slug = slug;
    this.changed = changed;
    this.held = false; // while an older draft waits for an answer, typing does not overwrite it
    this.timer = null;
    const later = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    window.addEventListener("pagehide", () => this.changed() && this.saveNow());
  }

  saveNow() {
    clearTimeout(this.timer);
    if (!this.held) saveDraft(this.slug, formValues(this.form));
  }

  offer(loaded) {
    const draft = readDraft(this.slug);
    const box = document.querySelector("[data-draft-offer]");
    if (!draft || !box || sameValues(draft.values, loaded)) return;
    const message = box.querySelector("[data-draft-message]");
    const recipient = new Map(draft.values).get("recipient_name")?.trim();
    message.textContent = `You have a draft of this letter${recipient ? ` to ${recipient}` : ""}, `
      + `saved in this browser ${timeAgo(draft.savedAt)}.`;
    this.held = true;
    box.hidden = false;
    box.classList.add("is-waiting"); // kept in sight, wherever the reload left the page scrolled
    box.querySelector("[data-draft-restore]").addEventListener("click", () => {
      applyValues(this.form, draft.values);
      revealOwnWords(this.form);
      this.answered(box, "Your draft is back, just as you left it.");
      this.form.dispatchEvent(new Event("input", { bubbles: true }));
    });
    box.querySelector("[data-draft-discard]").addEventListener("click", () => {
      discardDraft(this.slug);
      this.answered(box, "The draft is gone: you are starting afresh.");
    });
  }

  answered(box, text) {
    this.held = false;
    box.classList.remove("is-waiting");
    const message = box.querySelector("[data-draft-message]");
    box.querySelector("[data-draft-actions]").hidden = true;
    message.textContent = text;
    message.focus();
  }
}

const form = document.querySelector("[data-letter-form]");
if (form) setUp(form);
