// A partner's answers save as they are given (workshops/answer_views.py): a level at once, a
// comment or a challenge's reason when the partner pauses or leaves the box. Nothing typed is
// thrown away: until the server has stored a part, it is kept on the page and in this browser's
// storage, and it is sent again after signing in. Without this script the card's Save button
// posts the whole card, so scoring works either way.
(function () {
  "use strict";
  var root = document.getElementById("scoring-cards");
  if (!root || !window.fetch) return;
  var PAUSE_MS = 1200; // typing pause before a comment or reason saves
  var KEEP_ALIVE_MS = 4 * 60 * 1000; // well inside the 30-minute idle timeout
  var storageKey = root.getAttribute("data-storage-key");
  var pending = {}; // risk id -> {part: true}: changed and not yet stored
  var inFlight = {}; // risk id -> true while a save is on its way
  var timers = {};
  var signedOut = false;
  var lastActive = Date.now();
  var lastPing = Date.now();

  function cardOf(el) {
    return el.closest ? el.closest("form.answers-form") : null;
  }
  function formFor(riskId) {
    return root.querySelector('form.answers-form[data-risk="' + riskId + '"]');
  }
  function partOf(el) {
    var box = el.closest("[data-part]");
    return box ? box.getAttribute("data-part") : null;
  }
  function partBox(form, part) {
    return form.querySelector('[data-part="' + part + '"]');
  }
  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }
  function csrfToken(form) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- what each part holds on the page -------------------------------------------------
  function readPart(form, part) {
    if (part === "comment") return { level: "", text: field(form, "comment").value };
    var select = field(form, "challenge_" + part);
    if (select) {
      var reason = field(form, "reason_" + part);
      return { level: select.value, text: reason ? reason.value : "" };
    }
    var checked = form.querySelector('input[name="' + part + '"]:checked');
    return { level: checked ? checked.value : "", text: "" };
  }
  function writePart(form, part, value) {
    if (part === "comment") {
      field(form, "comment").value = value.text || "";
      return;
    }
    var select = field(form, "challenge_" + part);
    if (select) {
      select.value = value.level || "";
      var reason = field(form, "reason_" + part);
      if (reason) reason.value = value.text || "";
      return;
    }
    form.querySelectorAll('input[name="' + part + '"]').forEach(function (radio) {
      radio.checked = radio.value === value.level;
    });
  }
  function version(form, part) {
    var input = field(form, "version_" + part);
    return input ? parseInt(input.value || "0", 10) || 0 : 0;
  }
  function setVersion(form, part, value) {
    var input = field(form, "version_" + part);
    if (input) input.value = String(value);
  }

  // --- per-part and per-card status ------------------------------------------------------
  function setState(form, part, text, kind) {
    var box = partBox(form, part);
    var state = box && box.querySelector(".part-state");
    if (!state) return;
    state.textContent = text;
    state.className = "part-state small" + (kind ? " part-" + kind : "");
  }
  function say(form, text, kind) {
    var status = document.getElementById("risk-" + form.getAttribute("data-risk") + "-status");
    if (!status) return;
    status.innerHTML = "";
    if (!text) return;
    var alert = document.createElement("div");
    alert.className = "alert py-2 mb-2 " + (kind === "problem" ? "alert-danger" : "alert-success");
    alert.textContent = text;
    status.appendChild(alert);
  }
  function setBadges(riskId, body) {
    var text = body.complete ? "Saved" : body.answered + " of " + body.needed + " answered";
    if (!body.answered) text = "Not yet scored";
    ["risk-" + riskId + "-answers", "index-risk-" + riskId].forEach(function (id) {
      var host = document.getElementById(id);
      var badge = host && host.querySelector(".saved-badge, .left-badge");
      if (!badge) return;
      badge.textContent = text;
      badge.className = "badge " + (body.complete ? "saved-badge" : "left-badge");
    });
    if (body.progress) {
      var progress = document.getElementById("score-progress");
      if (progress) {
        var line = document.createElement("strong");
        line.textContent = body.progress.scored + " of " + body.progress.risk_count + " risks scored";
        progress.innerHTML = "";
        progress.appendChild(line);
        if (body.progress.scored === body.progress.risk_count) {
          progress.appendChild(document.createTextNode(" — all done, thank you."));
        }
      }
    }
    var note = document.getElementById("risk-" + riskId + "-colleagues");
    if (note && body.colleagues) {
      note.hidden = body.colleagues.length === 0;
      note.textContent = body.colleagues.length
        ? "A colleague of your organisation is on this risk: " + body.colleagues.join(", ") +
          " answered it in the last few minutes. You share one answer; if you both change one " +
          "factor, the later save asks which to keep."
        : "";
    }
  }

  // --- this browser's copy of what is not yet stored -----------------------------------
  function loadStore() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}") || {};
    } catch (e) {
      return {};
    }
  }
  function saveStore(store) {
    try {
      if (Object.keys(store).length) window.localStorage.setItem(storageKey, JSON.stringify(store));
      else window.localStorage.removeItem(storageKey);
    } catch (e) {
      /* storage full or refused: the page still holds the answers */
    }
  }
  function remember(form, part) {
    var store = loadStore();
    var riskId = form.getAttribute("data-risk");
    var value = readPart(form, part);
    value.based_on = version(form, part);
    value.round = field(form, "round").value;
    store[riskId] = store[riskId] || {};
    store[riskId][part] = value;
    saveStore(store);
  }
  function forget(riskId, part) {
    var store = loadStore();
    if (!store[riskId]) return;
    delete store[riskId][part];
    if (!Object.keys(store[riskId]).length) delete store[riskId];
    saveStore(store);
  }

  // --- saving -----------------------------------------------------------------------------
  function markChanged(form, part) {
    var riskId = form.getAttribute("data-risk");
    pending[riskId] = pending[riskId] || {};
    pending[riskId][part] = true;
    remember(form, part);
    setState(form, part, "Not saved yet", "waiting");
  }
  function schedule(form, delay) {
    var riskId = form.getAttribute("data-risk");
    clearTimeout(timers[riskId]);
    timers[riskId] = setTimeout(function () {
      send(form);
    }, delay);
  }
  function challengeNeedsReason(form, part) {
    var select = field(form, "challenge_" + part);
    var reason = field(form, "reason_" + part);
    return select && select.value && reason && !reason.value.trim();
  }

  function send(form) {
    var riskId = form.getAttribute("data-risk");
    if (inFlight[riskId] || signedOut) return;
    var parts = Object.keys(pending[riskId] || {}).filter(function (part) {
      if (challengeNeedsReason(form, part)) {
        setState(form, part, "Not saved: say why you propose this level", "problem");
        return false;
      }
      return true;
    });
    if (!parts.length) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(form));
    data.append("round", field(form, "round").value);
    parts.forEach(function (part) {
      data.append("parts", part);
      data.append("version_" + part, String(version(form, part)));
      var value = readPart(form, part);
      if (part === "comment") data.append("comment", value.text);
      else if (field(form, "challenge_" + part)) {
        data.append("challenge_" + part, value.level);
        data.append("reason_" + part, value.text);
      } else data.append(part, value.level);
      setState(form, part, "Saving…", "saving");
      delete pending[riskId][part];
    });
    inFlight[riskId] = true;
    fetch(form.getAttribute("data-answer-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401) {
          return { status: 401, body: {} };
        }
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { status: response.status, body: body };
          });
      })
      .then(function (answer) {
        inFlight[riskId] = false;
        handle(form, parts, answer.status, answer.body);
      })
      .catch(function () {
        inFlight[riskId] = false;
        requeue(form, parts, "Not saved: no connection. It is kept here and sent again shortly.");
        setTimeout(function () {
          send(form);
        }, 5000);
      });
  }

  function requeue(form, parts, text) {
    var riskId = form.getAttribute("data-risk");
    pending[riskId] = pending[riskId] || {};
    parts.forEach(function (part) {
      pending[riskId][part] = true;
      setState(form, part, text, "problem");
    });
  }

  function handle(form, parts, status, body) {
    var riskId = form.getAttribute("data-risk");
    if (status === 401) {
      requeue(form, parts, "Not saved: you were signed out. It is kept here until you sign in.");
      showSignIn(form);
      return;
    }
    if (status === 409) {
      var problem = body.problem || "Not saved.";
      requeue(form, parts, problem);
      say(form, problem, "problem");
      if (body.round) field(form, "round").value = String(body.round);
      if (body.read_only) {
        var fieldset = form.querySelector("fieldset");
        if (fieldset) fieldset.disabled = true; // what was chosen and typed stays visible
      }
      return;
    }
    if (status === 400) {
      var errors = body.errors || {};
      requeue(form, parts, body.problem || "Not saved: check the answer.");
      parts.forEach(function (part) {
        var text =
          errors[part] || errors["reason_" + part] || errors["challenge_" + part] || errors.__all__;
        if (text) setState(form, part, "Not saved: " + text, "problem");
      });
      return;
    }
    if (status !== 200 || !body.parts) {
      requeue(form, parts, "Not saved: the server could not store it (" + status + "). Try Save.");
      return;
    }
    var saved = [];
    Object.keys(body.parts).forEach(function (part) {
      var stored = body.parts[part];
      if (stored.state === "conflict") {
        showConflict(form, part, stored);
        return;
      }
      setVersion(form, part, stored.version);
      var still = pending[riskId] && pending[riskId][part];
      if (!still) {
        forget(riskId, part);
        setState(form, part, "Saved", "saved");
      }
      saved.push(part);
    });
    setBadges(riskId, body);
    if (saved.length) say(form, "Saved.", "saved");
    if (pending[riskId] && Object.keys(pending[riskId]).length) schedule(form, 0);
  }

  // A colleague stored a newer answer first: show it and who, and let the partner choose.
  function showConflict(form, part, stored) {
    var box = partBox(form, part);
    if (!box) return;
    var old = box.querySelector(".conflict");
    if (old) old.remove();
    var mine = readPart(form, part);
    var riskId = form.getAttribute("data-risk");
    var panel = document.createElement("div");
    panel.className = "conflict alert alert-warning py-2 my-1";
    panel.setAttribute("role", "alert");
    var theirs = part === "comment" ? stored.text : stored.level;
    if (stored.level && stored.text && part !== "comment") theirs += " (" + stored.text + ")";
    var text = document.createElement("p");
    text.className = "mb-1";
    text.textContent =
      (stored.by || "A colleague") +
      " of your organisation saved " +
      (theirs ? "“" + theirs + "”" : "no answer") +
      " here after your page showed it. Yours is not saved yet.";
    panel.appendChild(text);
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-outline-secondary me-2";
    keep.textContent = "Keep theirs";
    var apply = document.createElement("button");
    apply.type = "button";
    apply.className = "btn btn-sm btn-primary";
    apply.textContent = "Apply mine";
    panel.appendChild(keep);
    panel.appendChild(apply);
    box.appendChild(panel);
    setState(form, part, "Not saved: a colleague's answer is newer", "problem");
    keep.addEventListener("click", function () {
      writePart(form, part, stored);
      setVersion(form, part, stored.version);
      forget(riskId, part);
      panel.remove();
      setState(form, part, "Saved (" + (stored.by || "a colleague") + "'s answer)", "saved");
    });
    apply.addEventListener("click", function () {
      writePart(form, part, mine);
      setVersion(form, part, stored.version);
      panel.remove();
      markChanged(form, part);
      send(form);
    });
  }

  // --- signed out: sign in, then send what is kept -------------------------------------
  function showSignIn(form) {
    signedOut = true;
    var dialog = document.getElementById("signed-out-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "signed-out-dialog";
      dialog.setAttribute("aria-labelledby", "signed-out-heading");
      var heading = document.createElement("h2");
      heading.className = "h5";
      heading.id = "signed-out-heading";
      heading.textContent = "You were signed out";
      var text = document.createElement("p");
      text.textContent =
        "Your answers are kept on this page and in this browser. Sign in again, and they are " +
        "saved, as long as the workshop still takes them.";
      var login = document.createElement("a");
      login.className = "btn btn-primary me-2";
      login.target = "_blank";
      login.rel = "opener";
      login.id = "sign-in-new-tab";
      login.textContent = "Sign in (opens a new tab)";
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-outline-secondary";
      retry.textContent = "I have signed in: save my answers";
      retry.addEventListener("click", resume);
      dialog.appendChild(heading);
      dialog.appendChild(text);
      dialog.appendChild(login);
      dialog.appendChild(retry);
      document.body.appendChild(dialog);
    }
    var link = dialog.querySelector("#sign-in-new-tab");
    link.href = root.getAttribute("data-login-url") + encodeURIComponent("#risk-" + form.getAttribute("data-risk"));
    if (!dialog.open) {
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }
  function resume() {
    signedOut = false;
    var dialog = document.getElementById("signed-out-dialog");
    if (dialog && dialog.open) dialog.close();
    Object.keys(pending).forEach(function (riskId) {
      var form = formFor(riskId);
      if (form) send(form);
    });
  }
  // Back from signing in in the other tab: try again by itself.
  window.addEventListener("focus", function () {
    if (signedOut) resume();
  });
  document.addEventListener("visibilitychange", function () {
    if (signedOut && document.visibilityState === "visible") resume();
  });

  // --- events -------------------------------------------------------------------------------
  root.addEventListener("change", function (event) {
    var form = cardOf(event.target);
    var part = form && partOf(event.target);
    if (!part) return;
    markChanged(form, part);
    schedule(form, 0); // a level at once; a reason or comment as the partner leaves the box
  });
  root.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") return;
    var form = cardOf(event.target);
    var part = form && partOf(event.target);
    if (!part) return;
    markChanged(form, part);
    schedule(form, PAUSE_MS);
  });
  // The Save button: send every part of the card now (a no-op for what is already stored).
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.answers-form")) return;
    event.preventDefault();
    form.querySelectorAll("[data-part]").forEach(function (box) {
      var part = box.getAttribute("data-part");
      var value = readPart(form, part);
      var stored = version(form, part) > 0;
      if (value.level || value.text || stored) {
        var riskId = form.getAttribute("data-risk");
        pending[riskId] = pending[riskId] || {};
        pending[riskId][part] = true;
        remember(form, part);
      }
    });
    send(form);
  });

  // Leaving with an unsent change asks first.
  window.addEventListener("beforeunload", function (event) {
    var unsent = Object.keys(pending).some(function (riskId) {
      return Object.keys(pending[riskId]).length > 0;
    });
    var sending = Object.keys(inFlight).some(function (riskId) {
      return inFlight[riskId];
    });
    if (!unsent && !sending) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Shown again by Back or from the cache: the cards may be stale, so read them again (what
  // was not yet stored comes back from this browser's storage).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  // Keep the session alive while the partner is active here.
  ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
    document.addEventListener(
      name,
      function () {
        lastActive = Date.now();
      },
      { passive: true }
    );
  });
  setInterval(function () {
    if (signedOut || lastActive < lastPing || document.visibilityState === "hidden") return;
    lastPing = Date.now();
    var form = root.querySelector("form.answers-form");
    fetch(root.getAttribute("data-keep-alive-url"), {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": form ? csrfToken(form) : "" },
    }).catch(function () {});
  }, KEEP_ALIVE_MS);

  // --- on load: what this browser kept and the server has not stored yet -------------------
  document.querySelectorAll(".autosave-note").forEach(function (note) {
    note.hidden = false;
  });
  var kept = loadStore();
  Object.keys(kept).forEach(function (riskId) {
    var form = formFor(riskId);
    if (!form) return;
    Object.keys(kept[riskId]).forEach(function (part) {
      var value = kept[riskId][part];
      var stored = readPart(form, part);
      if (stored.level === value.level && stored.text === value.text) {
        forget(riskId, part); // stored meanwhile
        return;
      }
      writePart(form, part, value);
      if (value.based_on !== undefined) setVersion(form, part, value.based_on);
      pending[riskId] = pending[riskId] || {};
      pending[riskId][part] = true;
      setState(form, part, "Not saved yet", "waiting");
    });
    var fieldset = form.querySelector("fieldset");
    if (!fieldset || !fieldset.disabled) send(form);
    else {
      say(form, "Not saved: this risk can no longer change. Your answers are shown below.", "problem");
      Object.keys(kept[riskId]).forEach(function (part) {
        forget(riskId, part); // shown once; the server will never take them
      });
    }
  });
})();
