// The live chat of a Klassenzimmer or Q2 session (src/community/routes.ts): messages arrive over
// Server-Sent Events; the browser reconnects by itself and sends the last event id, so the server
// replays what was missed. New messages are announced through the log's aria-live region.
(function () {
  'use strict';
  var section = document.querySelector('section.chat');
  if (!section || !window.EventSource) return;
  var key = section.getAttribute('data-space');
  var moderator = section.getAttribute('data-moderator') === 'true';
  var log = document.getElementById('chat-log');
  var form = document.getElementById('chat-form');
  var input = document.getElementById('chat-text');
  var status = document.getElementById('chat-status');
  var csrf = form.querySelector('input[name=_csrf]').value;

  function hideButton(id) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'link-button chat-hide';
    b.setAttribute('data-id', id);
    b.textContent = form.getAttribute('data-hide-label');
    return b;
  }
  function add(m) {
    if (document.getElementById('msg-' + m.id)) return;
    var li = document.createElement('li');
    li.id = 'msg-' + m.id;
    li.setAttribute('data-id', m.id);
    var who = document.createElement('span');
    who.className = 'chat-author';
    who.textContent = m.authorName;
    var text = document.createElement('span');
    text.className = 'chat-text';
    text.textContent = m.text;
    li.appendChild(who);
    li.appendChild(document.createTextNode(': '));
    li.appendChild(text);
    if (moderator) {
      li.appendChild(document.createTextNode(' '));
      li.appendChild(hideButton(m.id));
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  var items = log.querySelectorAll('li[data-id]');
  var last = items.length ? items[items.length - 1].getAttribute('data-id') : '';
  var url = '/api/community/spaces/' + encodeURIComponent(key) + '/chat/stream' + (last ? '?lastEventId=' + last : '');
  var source = new EventSource(url);
  source.addEventListener('message', function (e) {
    add(JSON.parse(e.data));
  });
  source.addEventListener('hidden', function (e) {
    var el = document.getElementById('msg-' + JSON.parse(e.data).id);
    if (el) el.remove();
  });
  // the server ended the stream: the person no longer belongs to this space (live-channels.ts)
  source.addEventListener('gone', function () {
    source.close();
    section.removeAttribute('data-connected');
    status.textContent = form.getAttribute('data-gone');
    status.className = 'chat-status chat-gone';
    input.disabled = true;
    form.querySelector('button[type=submit]').disabled = true;
  });
  source.addEventListener('open', function () {
    status.textContent = '';
    section.setAttribute('data-connected', 'true');
  });
  source.addEventListener('error', function () {
    status.textContent = form.getAttribute('data-offline');
    section.removeAttribute('data-connected');
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    fetch(form.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ text: text }),
      credentials: 'same-origin',
    }).then(function (res) {
      if (res.status === 429) {
        status.textContent = form.getAttribute('data-too-fast');
        return;
      }
      if (!res.ok) return res.json().then(function (b) { status.textContent = b.error || ''; });
      input.value = '';
      status.textContent = '';
      return res.json().then(function (b) { add(b.message); });
    });
  });

  log.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button.chat-hide');
    if (!b) return;
    fetch('/api/community/chat/' + b.getAttribute('data-id') + '/hide', {
      method: 'POST',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
      credentials: 'same-origin',
    });
  });
})();
