// Starts pagefind's search box on /search/. The index and this UI are served by the site
// itself; nothing is loaded from another host.
window.addEventListener("DOMContentLoaded", () => {
  if (typeof PagefindUI === "undefined") return;
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
});
