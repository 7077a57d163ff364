// The gallery's search box: narrows the shelves as you type (without JavaScript it is a plain GET form).

const input = document.querySelector("[data-search-input]");
if (input) setUp(input);

function setUp(input) {
  const cards = [...document.querySelectorAll("[data-search-text]")];
  const shelves = [...document.querySelectorAll("[data-shelf]")];
  const noMatch = document.querySelector("[data-no-match]");
  const status = document.querySelector("[data-search-status]");
  let announce = null;

  const filter = () => {
    const query = input.value.trim();
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    let found = 0;
    cards.forEach((card) => {
      const match = words.every((word) => card.dataset.searchText.includes(word));
      card.hidden = !match;
      found += match ? 1 : 0;
    });
    shelves.forEach((shelf) => { shelf.hidden = !shelf.querySelector("[data-search-text]:not([hidden])"); });
    noMatch.hidden = found > 0;
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    clearTimeout(announce); // say the count once the person pauses, not at every letter
    announce = setTimeout(() => {
      status.textContent = query ? `${found} ${found === 1 ? "letter matches" : "letters match"} “${query}”.` : "";
    }, 400);
  };
  input.addEventListener("input", filter);
  input.form.addEventListener("submit", (event) => {
    event.preventDefault();
    filter();
  });
}
