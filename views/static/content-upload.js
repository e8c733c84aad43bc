// Upload with progress for the author's package form. Without script the form posts normally.
(function () {
  'use strict';
  var form = document.getElementById('package-upload');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var box = form.querySelector('.upload-progress');
    var bar = document.getElementById('upload-progress');
    var status = document.getElementById('upload-status');
    var button = form.querySelector('button[type="submit"]');
    box.hidden = false;
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      bar.value = pct;
      status.textContent = pct + ' %';
    });
    xhr.upload.addEventListener('load', function () {
      bar.removeAttribute('value');
      status.textContent = status.getAttribute('data-checking');
    });
    // the server answers with a redirect (to the new version or to the report); follow it
    xhr.addEventListener('load', function () {
      window.location.href = xhr.responseURL || '/author/modules';
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      form.submit();
    });
    xhr.send(new FormData(form));
  });
})();
