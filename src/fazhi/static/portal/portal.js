// Public pages: a new CAPTCHA image on 「换一张」 (django-simple-captcha's refresh answers JSON).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-captcha-refresh]").forEach(function (button) {
    button.addEventListener("click", function () {
      fetch(button.dataset.captchaRefresh, {headers: {"X-Requested-With": "XMLHttpRequest"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var row = button.closest("form");
          row.querySelector("[data-captcha-image]").src = data.image_url;
          row.querySelector("input[name=captcha_0]").value = data.key;
          var answer = row.querySelector("input[name=captcha_1]");
          answer.value = "";
          answer.focus();
        });
    });
  });
});
