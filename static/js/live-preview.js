// The live preview: about a second after the last keystroke, the server renders the real PDF
// and answers with its pages as images; they replace the ones beside the form.

import { browserErrors, unreadableDates } from "./field-limits.js";

const DELAY_MS = 800; // after the last keystroke; with the render, the new page shows about a second later

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function listed(words) {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function isEmpty(box) {
  return [...box.querySelectorAll("input, textarea, select")].every((control) =>
    (control.type === "radio" || control.type === "checkbox" ? !control.checked
      : !control.value.trim() && !control.validity.badInput));
}

// "“Your name” and “Their name” are filled in and “Years together” is put right"
function whatIsWanted(boxes) {
  const quoted = (list) => list.map((box) => `“${labelOf(box)}”`);
  const verb = (list) => (list.length === 1 ? "is" : "are");
  const empty = boxes.filter(isEmpty);
  const wrong = boxes.filter((box) => !isEmpty(box));
  const parts = [];
  if (empty.length) parts.push(`${listed(quoted(empty))} ${verb(empty)} filled in`);
  if (wrong.length) parts.push(`${listed(quoted(wrong))} ${verb(wrong)} put right`);
  return parts.join(" and ");
}

function labelOf(box) {
  const label = box.querySelector(".field-label");
  return label ? label.textContent.trim() : box.dataset.field;
}

export class LivePreview {
  constructor(form, panel, onErrors, onAnswer = () => {}) {
    this.form = form;
    this.panel = panel;
    this.onErrors = onErrors;
    this.onAnswer = onAnswer; // every answer, for what else the page shows from it
    this.url = form.dataset.previewUrl;
    this.token = form.querySelector("input[name=csrf_token]")?.value || "";
    this.pages = panel.querySelector("[data-live-pages]");
    this.status = panel.querySelector("[data-live-status]");
    this.pageCount = panel.querySelector("[data-page-count]");
    this.busy = panel.querySelector("[data-live-busy]");
    this.jump = form.querySelector("[data-preview-jump]");
    this.timer = null;
    this.controller = null;
    this.sequence = 0;
    this.paused = false;
    this.hasPages = false;
    this.unreadableSent = 0;
  }

  start() {
    this.panel.hidden = false;
    if (this.jump) this.jump.hidden = false;
    this.panel.closest("[data-compose]")?.classList.add("has-live-preview");
    const later = () => this.schedule();
    this.form.addEventListener("input", later);
    this.form.addEventListener("change", later);
    // A date typed part by part fires no input event until it is whole, so a date turning
    // unreadable (31 February) is noticed on each key and when the person leaves it.
    const datesChanged = () => {
      if (unreadableDates(this.form).length !== this.unreadableSent) this.schedule();
    };
    this.form.addEventListener("keyup", datesChanged);
    this.form.addEventListener("focusout", datesChanged);
    this.schedule(0);
  }

  schedule(delay = DELAY_MS) {
    if (this.paused) return;
    clearTimeout(this.timer);
    if (this.hasPages) this.pages.classList.add("is-stale");
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  async refresh() {
    this.controller?.abort();
    this.unreadableSent = unreadableDates(this.form).length;
    if (this.unreadableSent) {
      // Sent, it would be empty and the letter dated today: wait until the date is put right.
      this.sequence += 1;
      this.setBusy(false);
      this.showIncomplete(browserErrors(this.form));
      return;
    }
    this.controller = new AbortController();
    const mine = ++this.sequence;
    this.setBusy(true);
    let response;
    let answer;
    try {
      response = await fetch(this.url, {
        method: "POST",
        body: new FormData(this.form),
        headers: { "X-CSRFToken": this.token, Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller.signal,
      });
      answer = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      answer = null;
    }
    if (mine !== this.sequence) return;
    this.setBusy(false);
    this.show(response, answer);
  }

  setBusy(busy) {
    this.pages.setAttribute("aria-busy", String(busy));
    this.busy.hidden = !busy;
  }

  show(response, answer) {
    if (!answer) {
      this.say("The preview could not be updated just now. “Preview the letter” still works.", true);
      return;
    }
    this.onErrors(answer.errors || {});
    this.onAnswer(answer);
    if (answer.pages?.length) {
      this.showPages(answer.pages, answer.page_count);
      this.say((answer.notes || []).join(" "));
    } else if (answer.problem || answer.detail) {
      // An error is a problem (RFC 9457) whose detail is for the person; an expired page stops the asking
      // until it is submitted.
      this.paused = answer.code === "csrf-expired";
      if (this.hasPages) this.pages.classList.add("is-stale");
      this.say(answer.problem || answer.detail, true);
    } else {
      this.showIncomplete(answer.errors || {});
    }
  }

  showPages(pages, count) {
    const recipient = this.form.elements.recipient_name?.value.trim() || "them";
    const images = pages.map((src, index) => {
      const image = new Image();
      image.src = src;
      image.alt = `Page ${index + 1} of your letter to ${recipient}`;
      return image;
    });
    this.pages.replaceChildren(...images);
    this.pages.classList.remove("is-stale");
    this.hasPages = true;
    const size = this.form.elements.page_size;
    const sizeName = size?.selectedOptions?.[0]?.textContent.trim();
    const line = `Your letter runs to ${plural(count, "page")}${sizeName ? ` of ${sizeName}` : ""}.`;
    if (this.pageCount.textContent !== line) this.pageCount.textContent = line;
    const jumpCount = this.jump?.querySelector("[data-preview-jump-count]");
    if (jumpCount) jumpCount.textContent = ` · ${plural(count, "page")}`;
  }

  showIncomplete(errors) {
    const boxes = [...this.form.querySelectorAll("[data-field]")].filter((box) => errors[box.dataset.field]);
    const wanted = whatIsWanted(boxes);
    if (this.hasPages) {
      this.pages.classList.add("is-stale");
      this.say(`Showing the letter as it last was, until ${wanted || "every field is right"}.`);
      return;
    }
    const note = document.createElement("p");
    note.className = "live-placeholder";
    note.textContent = wanted ? `Your letter appears here once ${wanted}.` : "Your letter appears here as you write.";
    this.pages.replaceChildren(note);
    this.pageCount.textContent = "";
    this.say("");
  }

  say(text, problem = false) {
    this.status.textContent = text;
    this.status.classList.toggle("is-problem", problem);
  }
}
