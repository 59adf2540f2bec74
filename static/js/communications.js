// The notification bell: fills in the unread count (one small JSON request per page).
(function () {
  "use strict";
  function refresh() {
    var bell = document.querySelector("[data-bell]");
    if (!bell || !window.fetch) return;
    fetch(bell.getAttribute("data-bell"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var badge = bell.querySelector("[data-bell-count]");
        var n = data.unread || 0;
        badge.textContent = n > 99 ? "99+" : String(n);
        badge.hidden = n === 0;
        if (n > 0) bell.setAttribute("aria-label", bell.getAttribute("data-label-unread").replace("%(n)s", String(n)));
      })
      .catch(function () {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
