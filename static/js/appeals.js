// Appeal forms: show the postal address only when the answer goes by post, and
// disable the submit button after the first click (the server is idempotent anyway).
(function () {
  "use strict";
  document.querySelectorAll("form.appeal-form").forEach(function (form) {
    var box = form.querySelector("[data-appeal-postal-address]");
    var radios = form.querySelectorAll("input[name='answer_channel']");
    function sync() {
      var chosen = form.querySelector("input[name='answer_channel']:checked");
      var byPost = chosen && chosen.value === "post";
      var hasError = box && box.querySelector(".is-invalid");
      if (box) { box.hidden = !(byPost || hasError); }
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-submit-once]").forEach(function (b) {
        // Let this submit through, then block repeats.
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
