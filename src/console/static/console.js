// alipay-mock web console: the one script (no build step). Every page works for reading without it;
// it adds the editors' dynamic parts, copy buttons and the live request log.
(function () {
  'use strict';

  var PLACEHOLDER = /__n__/g;
  var INDEXED_ATTRS = [
    'name',
    'id',
    'for',
    'aria-describedby',
    'data-variants',
    'data-variant-of',
    'data-variant-select',
    'data-list',
    'data-list-template',
    'data-add-item',
  ];

  // ---- discriminated unions: show the fields of the chosen variant ----
  function showVariant(select) {
    var name = select.getAttribute('data-variant-select');
    var fieldset = select.closest('[data-variants]');
    if (!fieldset) return;
    var panels = fieldset.querySelectorAll('[data-variant-of]');
    for (var i = 0; i < panels.length; i++) {
      var panel = panels[i];
      if (panel.getAttribute('data-variant-of') !== name) continue;
      panel.hidden = panel.getAttribute('data-variant') !== select.value;
    }
  }

  // ---- result codes: only the chosen service's spellings ----
  function filterResultCodes(root) {
    var serviceSelect = document.querySelector('[data-service-select]');
    if (!serviceSelect) return;
    var service = serviceSelect.value;
    var selects = (root || document).querySelectorAll('select[data-key="result_code"]');
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      var firstVisible = null;
      for (var j = 0; j < select.options.length; j++) {
        var option = select.options[j];
        var services = (option.getAttribute('data-services') || '').split(' ');
        var fits = service === '*' || services.indexOf(service) >= 0;
        option.hidden = !fits;
        option.disabled = !fits;
        if (fits && firstVisible === null) firstVisible = option;
      }
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled && firstVisible) firstVisible.selected = true;
    }
  }

  // ---- conditions: exists/absent take no value, in takes a list ----
  function updateValueInput(opSelect) {
    var row = opSelect.closest('.condition');
    if (!row) return;
    var input = row.querySelector('input[name$=".value"]');
    if (!input) return;
    var op = opSelect.value;
    var none = op === 'exists' || op === 'absent';
    input.disabled = none;
    input.placeholder = none ? 'no value' : op === 'in' ? 'a, b, c' : op === 'regex' ? '^MOCK-' : '';
  }

  // ---- lists (conditions, sequence steps): add and remove items ----
  function listOf(name) {
    return document.querySelector('[data-list="' + CSS.escape(name) + '"]');
  }

  function nextIndex(list, name) {
    var max = -1;
    var prefix = name + '.';
    var fields = list.querySelectorAll('[name^="' + CSS.escape(prefix) + '"]');
    for (var i = 0; i < fields.length; i++) {
      var rest = fields[i].getAttribute('name').slice(prefix.length);
      var n = parseInt(rest, 10);
      if (!isNaN(n) && n > max) max = n;
    }
    return max + 1;
  }

  function renumber(list) {
    var items = list.querySelectorAll(':scope > .list-items > [data-item]');
    for (var i = 0; i < items.length; i++) {
      var legend = items[i].querySelector('[data-item-legend]');
      if (legend) legend.textContent = items[i].getAttribute('data-item-label') + ' ' + (i + 1);
    }
  }

  function addItem(name) {
    var list = listOf(name);
    var template = list && list.querySelector('template[data-list-template="' + CSS.escape(name) + '"]');
    if (!template) return;
    var index = String(nextIndex(list, name));
    var fragment = template.content.cloneNode(true);
    var all = fragment.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      for (var a = 0; a < INDEXED_ATTRS.length; a++) {
        var value = all[i].getAttribute(INDEXED_ATTRS[a]);
        if (value && value.indexOf('__n__') >= 0)
          all[i].setAttribute(INDEXED_ATTRS[a], value.replace(PLACEHOLDER, index));
      }
    }
    var item = fragment.querySelector('[data-item]');
    list.querySelector(':scope > .list-items').appendChild(fragment);
    renumber(list);
    filterResultCodes(item);
    var ops = item.querySelectorAll('[data-op-select]');
    for (var k = 0; k < ops.length; k++) updateValueInput(ops[k]);
    var first = item.querySelector('input, select, textarea');
    if (first) first.focus();
  }

  function removeItem(button) {
    var item = button.closest('[data-item]');
    var list = button.closest('[data-list]');
    if (!item || !list) return;
    item.remove();
    renumber(list);
    var add = list.querySelector(':scope > [data-add-item]');
    if (add) add.focus();
  }

  // ---- copy buttons ----
  function copy(button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var text = target.textContent;
    var done = function () {
      var label = button.firstChild;
      var before = label.nodeValue;
      label.nodeValue = 'Copied';
      setTimeout(function () {
        label.nodeValue = before;
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        selectText(target);
      });
    } else {
      selectText(target);
    }
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // ---- files read into a text area (RSA key, rule file) ----
  function readFileInto(input) {
    var file = input.files && input.files[0];
    var target = document.getElementById(input.getAttribute('data-file-into'));
    if (!file || !target) return;
    var reader = new FileReader();
    reader.onload = function () {
      target.value = String(reader.result);
      target.focus();
    };
    reader.readAsText(file);
  }

  // ---- filtered groups (the default rules): a row stays when it contains every word typed ----
  function filterGroups(input) {
    var root = document.getElementById(input.getAttribute('data-filter'));
    if (!root) return;
    var words = input.value
      .toLowerCase()
      .split(/\s+/)
      .filter(function (w) {
        return w !== '';
      });
    var groups = root.querySelectorAll('[data-group]');
    var shown = 0;
    var total = 0;
    for (var i = 0; i < groups.length; i++) {
      var group = groups[i];
      var rows = group.querySelectorAll('tbody tr');
      var matches = 0;
      for (var j = 0; j < rows.length; j++) {
        // Every cell but the last, whose button says "Switch off" on every row.
        var cells = Array.prototype.slice.call(rows[j].cells, 0, -1);
        var text = cells
          .map(function (c) {
            return c.textContent;
          })
          .join(' ')
          .toLowerCase();
        var fits = words.every(function (w) {
          return text.indexOf(w) >= 0;
        });
        rows[j].hidden = !fits;
        if (fits) matches++;
      }
      total += rows.length;
      shown += matches;
      group.hidden = matches === 0;
      // Open the groups that have matches; close again those the filter opened once it is cleared.
      if (words.length > 0 && matches > 0 && !group.open) {
        group.open = true;
        group.setAttribute('data-filter-opened', '');
      } else if (words.length === 0 && group.hasAttribute('data-filter-opened')) {
        group.open = false;
        group.removeAttribute('data-filter-opened');
      }
    }
    var count = document.querySelector('[data-filter-count]');
    if (count) {
      count.textContent =
        words.length === 0 ? '' : shown + ' of ' + total + ' rule' + (total === 1 ? '' : 's') + ' match';
    }
  }

  // A link to a row inside a closed group (#rule-default-pay-9902) opens the group.
  function revealHashTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    var group = target && target.closest('details');
    if (!group || group.open) return;
    group.open = true;
    target.scrollIntoView({ block: 'center' });
  }

  // ---- the live request log ----
  function startLiveLog(main) {
    var url = main.getAttribute('data-poll');
    var lastId = parseInt(main.getAttribute('data-last-id') || '0', 10);
    var status = document.querySelector('[data-live-status]');
    var toggle = document.querySelector('[data-live-toggle]');
    var paused = false;
    var busy = false;
    var arrived = 0;

    function setStatus(text) {
      if (status) status.textContent = text;
    }

    function poll() {
      if (paused || busy || document.hidden) return;
      busy = true;
      var sep = url.indexOf('?') >= 0 ? '&' : '?';
      fetch(url + sep + 'after=' + lastId, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        })
        .then(function (data) {
          if (data.items && data.items.length > 0) {
            var tbody = document.getElementById('log-rows');
            if (tbody) {
              tbody.insertAdjacentHTML('afterbegin', data.html);
              for (var i = 0; i < data.items.length && i < tbody.rows.length; i++)
                tbody.rows[i].classList.add('is-new');
              while (tbody.rows.length > 200) tbody.deleteRow(tbody.rows.length - 1);
            }
            var empty = document.querySelector('[data-empty-note]');
            if (empty) empty.remove();
            arrived += data.items.length;
            setStatus(
              'Live: ' + arrived + ' new request' + (arrived === 1 ? '' : 's') + ' since this page opened',
            );
          }
          lastId = Math.max(lastId, data.lastId || 0);
        })
        .catch(function () {
          setStatus('Live updates interrupted; retrying');
        })
        .then(function () {
          busy = false;
        });
    }

    if (toggle) {
      toggle.addEventListener('click', function () {
        paused = !paused;
        toggle.setAttribute('aria-pressed', String(paused));
        toggle.textContent = paused ? 'Resume live updates' : 'Pause live updates';
        if (status) status.classList.toggle('is-paused', paused);
        setStatus(paused ? 'Paused' : 'Live');
      });
    }
    setInterval(poll, 2000);
  }

  // ---- wiring ----
  document.addEventListener('change', function (event) {
    var t = event.target;
    if (t.matches('select[data-variant-select]')) showVariant(t);
    if (t.matches('[data-service-select]')) filterResultCodes(document);
    if (t.matches('[data-op-select]')) updateValueInput(t);
    if (t.matches('input[data-file-into]')) readFileInto(t);
  });

  document.addEventListener('input', function (event) {
    if (event.target.matches('input[data-filter]')) filterGroups(event.target);
  });

  window.addEventListener('hashchange', revealHashTarget);

  document.addEventListener('click', function (event) {
    var t = event.target.closest('button');
    if (!t) return;
    if (t.hasAttribute('data-add-item')) addItem(t.getAttribute('data-add-item'));
    else if (t.hasAttribute('data-remove-item')) removeItem(t);
    else if (t.hasAttribute('data-copy')) copy(t);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', function () {
    var selects = document.querySelectorAll('select[data-variant-select]');
    for (var i = 0; i < selects.length; i++) showVariant(selects[i]);
    filterResultCodes(document);
    var ops = document.querySelectorAll('[data-op-select]');
    for (var j = 0; j < ops.length; j++) updateValueInput(ops[j]);
    var summary = document.querySelector('[data-error-summary]');
    var result = document.querySelector('[data-result]');
    if (summary) summary.focus();
    else if (result) result.focus();
    var current = document.querySelector('.sidenav a[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    var boxes = document.querySelectorAll('[data-filter-box]');
    for (var k = 0; k < boxes.length; k++) boxes[k].hidden = false;
    revealHashTarget();
    var main = document.querySelector('main[data-poll]');
    if (main) startLiveLog(main);
    document.documentElement.classList.add('js');
  });
})();
