/* Knowledge-base suggestions while a partner types a new case's subject (progressive
   enhancement: without JavaScript the form works the same, only without suggestions). */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var input = document.querySelector("[data-kb-suggest]");
    var box = document.getElementById("kb-suggestions");
    if (!input || !box || !window.fetch) return;
    var list = box.querySelector("ul");
    var description = document.getElementById("f-description");
    var url = input.getAttribute("data-kb-suggest");
    var timer = null;
    var last = "";
    function render(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = item.title;
        li.appendChild(a);
        if (item.snippet) {
          var s = document.createElement("span");
          s.className = "kb-snippet";
          s.textContent = item.snippet;
          li.appendChild(s);
        }
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }
    function lookup() {
      var text = (input.value + " " + (description ? description.value.slice(0, 200) : "")).trim();
      if (text === last) return;
      last = text;
      if (text.length < 2) { render([]); return; }
      fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (text === last) render(data.items || []); })
        .catch(function () { render([]); });
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(lookup, 300);
    }
    input.addEventListener("input", schedule);
    if (description) description.addEventListener("input", schedule);
  });
})();
