/* Partner Portal: small progressive enhancements. Every page works without this file.
   Loaded synchronously in <head> so that the "js" class is on <html> before the first paint
   (the mobile drawer and the language button depend on it). No dependencies. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  function closest(el, selector) {
    while (el && el.nodeType === 1) {
      if (el.matches(selector)) return el;
      el = el.parentElement;
    }
    return null;
  }

  /* ---- mobile navigation drawer ---- */
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    var toggles = document.querySelectorAll("[data-nav-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].setAttribute("aria-expanded", open ? "true" : "false");
    }
    if (open) {
      var first = document.querySelector("#sidebar a, #sidebar button");
      if (first) first.focus();
    }
  }

  /* ---- submit buttons of a form (including those outside it with form="...") ---- */
  function submitButtons(form) {
    var out = [];
    var all = form.querySelectorAll("button, input[type=submit], input[type=image]");
    for (var i = 0; i < all.length; i++) {
      var b = all[i];
      if (b.tagName !== "BUTTON" || !b.type || b.type === "submit") out.push(b);
    }
    if (form.id) {
      var outside = document.querySelectorAll('[form="' + form.id + '"]');
      for (var j = 0; j < outside.length; j++) out.push(outside[j]);
    }
    return out;
  }

  function unlock(form) {
    delete form.dataset.submitting;
    form.classList.remove("is-submitting");
    var buttons = submitButtons(form);
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].dataset.lockedBySubmit) {
        buttons[i].disabled = false;
        delete buttons[i].dataset.lockedBySubmit;
      }
    }
  }

  var lastClicked = null;

  ready(function () {
    /* clicks: navigation, flash dismiss, copy, confirm on links */
    document.addEventListener("click", function (event) {
      var target = event.target;

      var submitter = closest(target, "button, input[type=submit]");
      if (submitter) lastClicked = submitter;

      var toggle = closest(target, "[data-nav-toggle]");
      if (toggle) {
        event.preventDefault();
        setNav(!document.body.classList.contains("nav-open"));
        return;
      }
      if (closest(target, "[data-nav-close]")) {
        event.preventDefault();
        setNav(false);
        var t = document.querySelector("[data-nav-toggle]");
        if (t) t.focus();
        return;
      }

      var dismiss = closest(target, "[data-dismiss]");
      if (dismiss) {
        var flash = closest(dismiss, ".flash, .alert");
        if (flash) {
          flash.classList.add("is-leaving");
          window.setTimeout(function () {
            if (flash.parentNode) flash.parentNode.removeChild(flash);
          }, 160);
        }
        return;
      }

      var copy = closest(target, "[data-copy]");
      if (copy) {
        var source = document.querySelector(copy.getAttribute("data-copy"));
        if (!source) return;
        var text = (source.value || source.textContent || "").trim();
        var done = function () {
          var label = copy.querySelector("[data-copy-label]") || copy;
          var before = label.textContent;
          label.textContent = copy.getAttribute("data-copied") || "✓";
          window.setTimeout(function () { label.textContent = before; }, 2000);
        };
        var fallback = function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          try { if (document.execCommand("copy")) done(); } catch (e) { /* text stays selected */ }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else {
          fallback();
        }
        return;
      }

      var link = closest(target, "a[data-confirm]");
      if (link && !window.confirm(link.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });

    document.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && document.body.classList.contains("nav-open")) {
        setNav(false);
        var t = document.querySelector("[data-nav-toggle]");
        if (t) t.focus();
      }
    });

    /* submit: confirmation first, then double-submission guard */
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form || form.tagName !== "FORM") return;
      var submitter = event.submitter || (lastClicked && lastClicked.form === form ? lastClicked : null);

      var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }

      if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
      if (form.hasAttribute("data-allow-resubmit") || form.target === "_blank") return;
      if (form.dataset.submitting) {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      form.classList.add("is-submitting");
      // Disable after the event: a disabled submitter would drop its name=value from the data.
      window.setTimeout(function () {
        var buttons = submitButtons(form);
        for (var i = 0; i < buttons.length; i++) {
          if (!buttons[i].disabled) {
            buttons[i].disabled = true;
            buttons[i].dataset.lockedBySubmit = "1";
          }
        }
      }, 0);
      // A response that does not leave the page (a download) must not lock the form for ever.
      window.setTimeout(function () { unlock(form); }, 10000);
    });

    /* selects that submit their form on change (filters, language) */
    document.addEventListener("change", function (event) {
      var select = event.target;
      if (!select || !select.hasAttribute || !select.hasAttribute("data-autosubmit") || !select.form) return;
      var form = select.form;
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  });

  /* Back/forward cache: a page restored from it must not keep its forms locked or the drawer open. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var forms = document.querySelectorAll("form[data-submitting]");
    for (var i = 0; i < forms.length; i++) unlock(forms[i]);
    document.body.classList.remove("nav-open");
  });
})();
