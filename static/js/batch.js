// Many letters: keep the progress bar of a running batch up to date, then show the result.
// Without this script the page still works: its "Check again" link reloads it.

const POLL_MS = 1500;

function update(box, status) {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-batch-progress-text]");
  bar.max = Math.max(status.total, 1);
  bar.value = status.done;
  bar.textContent = `${Math.round(status.progress * 100)}%`;
  text.textContent = `${status.done} of ${status.total} letters written.`;
}

async function poll(box) {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const status = await response.json();
    if (status.state === "done" || status.state === "failed") {
      window.location.reload();
      return;
    }
    update(box, status);
  } catch (error) {
    // A dropped connection is not the batch failing: try again on the next tick.
  }
  window.setTimeout(() => poll(box), POLL_MS);
}

const box = document.querySelector("[data-batch-progress]");
if (box) window.setTimeout(() => poll(box), POLL_MS);
