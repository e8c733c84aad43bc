// The player page: creates the SCORM API object (window.API for 1.2, window.API_1484_11 for 2004)
// with scorm-again, preloads the saved CMI data, and only then points the content frame at the SCO.
// No inline script (CSP): the configuration comes from the data-config attribute.
(function () {
  'use strict';
  var root = document.getElementById('player');
  if (!root) return;
  var cfg = JSON.parse(root.getAttribute('data-config'));
  var frame = document.getElementById('content-frame');
  var lastPayload = null;
  var localSeq = 0;

  function navigate(request, target) {
    var url = cfg.navBase + '?request=' + encodeURIComponent(request) + '&from=' + encodeURIComponent(cfg.itemId) + (target ? '&target=' + encodeURIComponent(target) : '');
    // the terminating commit went out by sendBeacon; send it once more (the server ignores a repeat)
    // and wait for it, so the server decides the next item on the newest data
    var go = function () { window.location.assign(url); };
    if (!lastPayload || !cfg.scorm) return go();
    fetch(cfg.scorm.commitUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(lastPayload), keepalive: true }).then(go, go);
  }

  if (cfg.scorm) {
    var settings = {
      lmsCommitUrl: cfg.scorm.commitUrl,
      dataCommitFormat: 'flattened',
      autocommit: true,
      autocommitSeconds: 15,
      logLevel: 4,
      requestHandler: function (commitObject, metadata) {
        localSeq += 1;
        lastPayload = {
          seq: metadata && typeof metadata.sequence === 'number' ? metadata.sequence : localSeq,
          terminate: Boolean(metadata && metadata.isTerminateCommit),
          cmi: commitObject,
        };
        return lastPayload;
      },
    };
    var api = cfg.scorm.version === '1.2' ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromFlattenedJSON(cfg.scorm.cmi, '');
    if (cfg.scorm.version === '1.2') window.API = api;
    else window.API_1484_11 = api;
    var events = { SequenceNext: 'continue', SequencePrevious: 'previous', SequenceChoice: 'choice', SequenceExit: 'exit', SequenceExitAll: 'exitAll', SequenceSuspendAll: 'suspendAll', SequenceAbandon: 'abandon', SequenceAbandonAll: 'abandonAll' };
    Object.keys(events).forEach(function (name) {
      api.on(name, function (_element, target) {
        navigate(events[name], typeof target === 'string' ? target : undefined);
      });
    });
    window.lotsePlayer = { api: api, lastPayload: function () { return lastPayload; } };
  }
  if (frame) frame.src = cfg.contentUrl;
  // cmi5 launchMethod OwnWindow: try to open it at once; the page also offers a link if a blocker stops it
  else if (cfg.ownWindow) window.open(cfg.contentUrl, '_blank');
})();
