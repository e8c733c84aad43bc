// The player page: creates the SCORM API object (Scorm12API for 1.2, Scorm2004API for 2004) with
// scorm-again, preloads the saved CMI data, and only then points the content frame at the content
// origin. The package runs there, in another origin than ours; it reaches this API only by
// postMessage: scorm-again's CrossFrameLMS here, its CrossFrameAPI in the frame's adapter page
// (scorm-frame.js on the content origin). This API stays the authority: it commits to the server.
// No inline script (CSP): the configuration comes from the data-config attribute.
(function () {
  'use strict';
  var root = document.getElementById('player');
  if (!root) return;
  var cfg = JSON.parse(root.getAttribute('data-config'));
  var frame = document.getElementById('content-frame');
  var lastPayload = null;
  var localSeq = 0;
  var api = null;

  function navigate(request, target) {
    var url = cfg.navBase + '?request=' + encodeURIComponent(request) + '&from=' + encodeURIComponent(cfg.itemId) + (target ? '&target=' + encodeURIComponent(target) : '');
    // the terminating commit went out by sendBeacon; send it once more (the server ignores a repeat)
    // and wait for it, so the server decides the next item on the newest data
    var go = function () { window.location.assign(url); };
    if (!lastPayload || !cfg.scorm) return go();
    fetch(cfg.scorm.commitUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lastPayload), keepalive: true }).then(go, go);
  }

  var open = function () { return api && api.isInitialized() && !api.isTerminated(); };

  // SCORM 2004 after Terminate: the terminating commit once more (the server ignores a repeat) and
  // waited for, then the engine's answer: the activity it delivered, the way out, or new controls.
  var settled = false;
  function afterTerminate() {
    if (settled) return;
    settled = true;
    var ask = function () {
      fetch(cfg.sequencing.stateUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          // the attempt's page again (another SCO delivered) is a reload: assign() to the same URL may be dropped
          if (state.next) return state.next === window.location.pathname ? window.location.reload() : window.location.assign(state.next);
          var nav = document.getElementById('player-nav');
          if (nav && state.html) nav.outerHTML = state.html;
          var notice = document.getElementById('player-notice');
          if (notice) notice.hidden = false;
        })
        .catch(function () { window.location.reload(); });
    };
    if (!lastPayload) return ask();
    fetch(cfg.scorm.commitUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lastPayload), keepalive: true }).then(ask, ask);
  }

  // SCORM 1.2 after the SCO's own LMSFinish (RTE 3.3.2.2; 1.2 has no navigation requests): the frame
  // would stay empty. The terminating commit once more and waited for, then the server's next step.
  function afterFinish() {
    if (settled) return;
    settled = true;
    var panel = document.getElementById('player-finished');
    if (!panel) return;
    var show = function (state) {
      frame.src = 'about:blank';
      frame.hidden = true;
      panel.hidden = false;
      var next = panel.querySelector('.finished-next');
      if (state && state.next) {
        next.href = state.next.url;
        next.textContent = next.getAttribute('data-label').replace('%s', state.next.title);
        next.hidden = false;
      }
      panel.querySelector('.finished-all').hidden = !(state && state.allDone);
      panel.querySelector('.finished-choose').hidden = !(state && !state.next && !state.allDone && document.getElementById('player-toc'));
      ((state && state.toc) || []).forEach(function (e) {
        var li = document.querySelector('#player-toc li[data-item="' + CSS.escape(e.id) + '"]');
        if (!li) return;
        li.setAttribute('data-status', e.status);
        var label = li.querySelector('.toc-status');
        if (label) {
          label.textContent = ' – ' + e.label;
          label.classList.toggle('done', e.status === 'completed' || e.status === 'passed');
        }
      });
      (next.hidden ? panel.querySelector('.finished-exit') : next).focus();
    };
    var ask = function () {
      fetch(panel.getAttribute('data-finished-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(show, function () { show(null); });
    };
    if (!lastPayload) return ask();
    fetch(cfg.scorm.commitUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lastPayload), keepalive: true }).then(ask, ask);
  }

  // SCORM 2004 controls while a SCO runs: the request goes with the SCO's Terminate (SN OP.1), so the
  // SCO is unloaded first; its own unload handler terminates, or this page does after 1.5 s.
  document.addEventListener('submit', function (ev) {
    var form = ev.target instanceof Element ? ev.target.closest('#player-nav form') : null;
    if (!form || !cfg.sequencing || !open()) return;
    ev.preventDefault();
    var button = ev.submitter;
    var field = form.querySelector('input[name=request]');
    var request = button && button.name === 'request' ? button.value : field ? field.value : '';
    var target = button && button.name === 'target' ? button.value : '';
    api.SetValue('adl.nav.request', target ? '{target=' + target + '}' + request : request);
    unloadSco(function () {});
  });
  var finish = function () {
    if (!open()) return;
    if (cfg.scorm.version === '1.2') api.LMSFinish('');
    else api.Terminate('');
  };

  // Unloads the SCO so that its own unload handler runs (it sets session_time, exit, the last data
  // and terminates) and waits for its Terminate, then `then`; after 1.5 s this page finishes itself.
  // With an adapter page (CONTENT_ISOLATION=origin) only the SCO inside it goes: the adapter stays to
  // carry the SCO's last calls here. Blanking the whole frame would take the adapter with it.
  function unloadSco(then) {
    if (cfg.contentOrigin !== 'null' && frame.contentWindow) frame.contentWindow.postMessage({ type: 'lotse:scorm-unload' }, cfg.contentOrigin);
    else frame.src = 'about:blank';
    var until = Date.now() + 1500;
    (function wait() {
      if (open() && Date.now() < until) return setTimeout(wait, 50);
      frame.src = 'about:blank';
      finish();
      then();
    })();
  }

  if (cfg.scorm && frame) {
    var settings = {
      lmsCommitUrl: cfg.scorm.commitUrl,
      dataCommitFormat: 'flattened',
      autocommit: true,
      autocommitSeconds: 15,
      logLevel: 4,
      requestHandler: function (commitObject, metadata) {
        localSeq += 1;
        var terminate = Boolean(metadata && metadata.isTerminateCommit);
        // the navigation request is not part of scorm-again's commit; the server acts on it after Terminate
        if (terminate && api && api.adl && api.adl.nav && api.adl.nav.request && api.adl.nav.request !== '_none_') commitObject['adl.nav.request'] = api.adl.nav.request;
        lastPayload = {
          seq: metadata && typeof metadata.sequence === 'number' ? metadata.sequence : localSeq,
          terminate: terminate,
          cmi: commitObject,
        };
        return lastPayload;
      },
    };
    // SCORM 2004: adl.nav.request_valid.* as the server's sequencing engine sees it now (RTE 4.3)
    var valid = cfg.sequencing && cfg.sequencing.requestValid;
    if (valid) {
      settings.scoItemIds = valid.choice;
      cfg.scorm.cmi['adl.nav.request_valid.continue'] = String(valid.continue);
      cfg.scorm.cmi['adl.nav.request_valid.previous'] = String(valid.previous);
    }
    api = cfg.scorm.version === '1.2' ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromFlattenedJSON(cfg.scorm.cmi, '');
    if (cfg.sequencing) {
      // the server's sequencing engine acts on the SCO's Terminate: follow where it leads
      api.on('Terminate', function () { setTimeout(afterTerminate, 0); });
    } else if (cfg.scorm.version === '1.2') {
      api.on('LMSFinish', function () { setTimeout(afterFinish, 0); });
    } else {
      var events = { SequenceNext: 'continue', SequencePrevious: 'previous', SequenceChoice: 'choice', SequenceExit: 'exit', SequenceExitAll: 'exitAll', SequenceSuspendAll: 'suspendAll', SequenceAbandon: 'abandon', SequenceAbandonAll: 'abandonAll' };
      Object.keys(events).forEach(function (name) {
        api.on(name, function (_element, target) {
          navigate(events[name], typeof target === 'string' ? target : undefined);
        });
      });
    }

    // In the sandbox fallback the SCO's origin is opaque ("null"): messages to it cannot name it, so
    // they go to '*', to our own frame only; its page reads the data from the frame's name at once.
    var opaque = cfg.contentOrigin === 'null';
    var target = opaque ? '*' : cfg.contentOrigin;
    if (opaque) {
      // a frame's name reaches the document only when the frame is made with it: a fresh one
      var named = document.createElement('iframe');
      Array.prototype.forEach.call(frame.attributes, function (a) { named.setAttribute(a.name, a.value); });
      named.name = 'lotse-scorm:' + JSON.stringify({ version: cfg.scorm.version, lms: location.origin, cmi: cfg.scorm.cmi, choice: valid ? valid.choice : [] });
      frame.replaceWith(named);
      frame = named;
    }
    // Only our own frame's document on the content origin may talk to the API. This listener runs
    // first (capture) and stops everything else before CrossFrameLMS sees it.
    window.addEventListener('message', function (ev) {
      if (ev.source !== frame.contentWindow || ev.origin !== cfg.contentOrigin) {
        ev.stopImmediatePropagation();
        return;
      }
      // the adapter asks for the data this API was loaded with, to answer reads without a round trip
      if (ev.data && ev.data.type === 'lotse:scorm-hello') {
        ev.stopImmediatePropagation();
        ev.source.postMessage({ type: 'lotse:scorm-cmi', version: cfg.scorm.version, cmi: cfg.scorm.cmi, choice: valid ? valid.choice : [] }, target);
      }
    }, true);
    // a SCO sets many values at once; every call costs two messages (the call and a cache refresh)
    new window.CrossFrameLMS(api, target, { rateLimit: 5000 });

    // The SCO's own unload handler posts its last calls, but when this page goes away they arrive
    // nowhere. Leaving by our links therefore unloads the SCO first and waits for its Terminate
    // (unloadSco); closing the tab finishes here (the terminating commit leaves by sendBeacon).
    window.addEventListener('pagehide', finish);
    document.addEventListener('click', function (ev) {
      var link = ev.target instanceof Element ? ev.target.closest('.player-bar a, .player-toc a') : null;
      if (!link || !open() || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      // a link into a new tab (the module's Q&A) leaves the SCO running here
      if (link.target === '_blank') return;
      ev.preventDefault();
      settled = true; // leaving: no navigation after this SCO's Terminate
      unloadSco(function () { window.location.assign(link.href); });
    });
    window.lotsePlayer = { api: api, lastPayload: function () { return lastPayload; } };
  }
  // cmi5: an AU that exits loads its returnURL (our page, views/player/returned.pug) in its frame, or
  // in its own window; that page tells us, and the player moves on to the next AU or the overview.
  if (!cfg.scorm) {
    // framed: the page's "finished" panel (next AU, or done) as after a SCO's LMSFinish; in the
    // OwnWindow case the player tab goes straight to the next AU or the overview
    var moved = false;
    var moveOn = function () {
      if (moved) return;
      moved = true;
      if (document.getElementById('player-finished')) return afterFinish();
      var away = function (state) { window.location.assign(state && state.next ? state.next.url : state && state.exitUrl ? state.exitUrl : '/dashboard'); };
      fetch('/player/attempts/' + cfg.attemptId + '/finished?from=' + encodeURIComponent(cfg.itemId), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(away, function () { away(null); });
    };
    var returned = function (data) { return data && data.type === 'lotse:cmi5-returned' && data.attemptId === cfg.attemptId; };
    window.addEventListener('message', function (ev) {
      var ours = ev.origin === window.location.origin || (cfg.contentOrigin === 'null' && ev.origin === 'null');
      if (frame && ev.source === frame.contentWindow && ours && returned(ev.data)) moveOn();
    });
    if (cfg.ownWindow && typeof BroadcastChannel === 'function') {
      new BroadcastChannel('lotse-player').onmessage = function (ev) { if (returned(ev.data)) moveOn(); };
    }
  }
  if (frame) frame.src = cfg.frameUrl;
  // cmi5 launchMethod OwnWindow: try to open it at once; the page also offers a link if a blocker stops it
  else if (cfg.ownWindow) window.open(cfg.frameUrl, '_blank', 'noopener');
})();
