// The case workspace's live channel: Socket.IO join/send/read, catch-up by seq, safe rendering.
// User text only ever goes through textContent; nothing from a message is parsed as HTML.
(() => {
  "use strict";

  const section = document.getElementById("channel");
  if (!section || typeof window.io !== "function") {
    return;
  }
  const channelId = Number(section.dataset.channel);
  const myId = Number(section.dataset.user);
  const messageMax = Number(section.dataset.messageMax);
  const list = document.getElementById("messages");
  const template = document.getElementById("message-template");
  const announcer = document.getElementById("announcer");
  const liveStatus = document.getElementById("live-status");
  const sendStatus = document.getElementById("send-status");
  const form = document.getElementById("send-form");
  const bodyField = form.querySelector("textarea");
  const codeField = form.querySelector("select");
  const fileField = document.getElementById("attachment-files");
  const replyField = document.getElementById("message-reply_to_seq");
  const correctsField = document.getElementById("message-corrects_seq");
  const context = document.getElementById("composer-context");
  const contextText = document.getElementById("composer-context-text");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const locale = document.documentElement.lang || undefined;
  // One format for every message, stored or live: the page's language, the user's time zone.
  const timeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: section.dataset.timeZone || undefined,
  });
  const t = (key, params = {}) =>
    (section.dataset[key] || "").replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
  const handlingTexts = new Map(
    Array.from(document.querySelectorAll("#handling-texts li"), (li) => [li.dataset.code, li.textContent])
  );

  let lastSeq = Number(section.dataset.lastSeq) || 0;
  const readers = new Map(); // user id -> {name, seq}
  for (const li of document.querySelectorAll("#read-positions li")) {
    readers.set(Number(li.dataset.user), { name: li.textContent, seq: Number(li.dataset.seq) });
  }
  const outbox = []; // sends not yet acknowledged: {client_id, body, handling_code, attachment_ids}
  let removed = false;
  let joining = false;
  let rejoin = false;

  const socket = window.io({ transports: ["websocket", "polling"] });

  // --- rendering ------------------------------------------------------------------------------

  function render(message) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.id = `m-${message.seq}`;
    item.dataset.seq = message.seq;
    item.dataset.sender = message.sender.id;
    if (message.sender.id === myId) {
      item.classList.add("message-own");
    }
    item.querySelector(".message-seq").textContent = `#${message.seq}`;
    item.querySelector(".message-sender").textContent = message.sender.name;
    item.querySelector(".message-side").textContent = message.sender.state || message.sender.observer_body || "";
    const time = item.querySelector("time");
    time.dateTime = message.sent_at;
    item.dataset.senderName = message.sender.name;
    const handling = item.querySelector(".handling");
    handling.classList.add(`handling-${String(message.handling_code).toLowerCase()}`);
    handling.querySelector("strong").textContent = message.handling_code;
    handling.querySelector(".handling-text").textContent = handlingTexts.get(message.handling_code) || "";
    const ref = item.querySelector(".message-ref");
    if (message.corrects_seq || message.reply_to_seq) {
      ref.hidden = false;
      ref.textContent = message.corrects_seq
        ? t("tCorrects", { seq: message.corrects_seq })
        : t("tInReply", { seq: message.reply_to_seq });
    }
    const body = item.querySelector(".message-body");
    if (message.integrity === "failed") {
      item.dataset.failed = "";
      body.classList.add("integrity-failed");
      body.removeAttribute("dir");
      body.textContent = t("tMessageFailed");
    } else {
      body.textContent = message.body;
    }
    const files = item.querySelector(".attachments");
    for (const file of message.attachments || []) {
      files.hidden = false;
      const entry = document.createElement("li");
      const link = document.createElement("a");
      link.href = section.dataset.downloadUrl + encodeURIComponent(file.id);
      link.setAttribute("download", "");
      if (file.integrity === "failed") {
        link.classList.add("integrity-failed");
        link.textContent = t("tNameFailed");
      } else {
        link.textContent = file.filename;
      }
      const facts = document.createElement("span");
      facts.className = "muted";
      facts.textContent = ` (${file.size} B; SHA-256 ${file.sha256})`;
      entry.append(link, facts);
      files.append(entry);
    }
    return dress(item);
  }

  // What every message gets from the script, whether the server or the socket brought it:
  // its time in the shared format, and the buttons to reply, quote or correct it.
  function dress(item) {
    const time = item.querySelector("time");
    if (time && time.dateTime) {
      time.textContent = timeFormat.format(new Date(time.dateTime));
    }
    const seq = Number(item.dataset.seq);
    const actions = document.createElement("div");
    actions.className = "message-actions";
    const readable = !("failed" in item.dataset);
    const own = Number(item.dataset.sender) === myId;
    for (const [name, key, wanted] of [
      ["reply", "tReply", true],
      ["quote", "tQuote", readable],
      ["correct", "tCorrect", own && readable],
    ]) {
      if (!wanted) {
        continue;
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = `button button-small message-${name}`;
      button.dataset.action = name;
      button.textContent = t(key);
      button.setAttribute("aria-label", t("tActionLabel", { action: t(key), seq }));
      actions.append(button);
    }
    item.append(actions);
    return item;
  }

  // --- reply, quote, correct --------------------------------------------------------------------

  function aboutTo(text, reply, corrects) {
    const follow = nearFoot(); // the line above the composer takes room from the messages
    replyField.value = reply ? String(reply) : "";
    correctsField.value = corrects ? String(corrects) : "";
    contextText.textContent = text;
    context.hidden = !text;
    if (follow) {
      toFoot();
    }
  }

  function quoted(item) {
    const text = item.querySelector(".message-body").textContent;
    return `${text.split("\n").map((line) => `> ${line}`).join("\n")}\n`;
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    const item = button?.closest(".message");
    if (!item || removed) {
      return;
    }
    const seq = Number(item.dataset.seq);
    const name = item.dataset.senderName || "";
    if (button.dataset.action === "reply") {
      aboutTo(t("tReplying", { seq, name }), seq, null);
    } else if (button.dataset.action === "quote") {
      aboutTo(t("tReplying", { seq, name }), seq, null);
      const before = bodyField.value && !bodyField.value.endsWith("\n") ? "\n" : "";
      bodyField.value += before + quoted(item);
    } else {
      aboutTo(t("tCorrecting", { seq }), null, seq);
      bodyField.value = item.querySelector(".message-body").textContent;
    }
    bodyField.focus();
    bodyField.setSelectionRange(bodyField.value.length, bodyField.value.length);
  });
  document.getElementById("composer-cancel").addEventListener("click", () => {
    const correcting = Boolean(correctsField.value);
    aboutTo("", null, null);
    if (correcting) {
      bodyField.value = "";
    }
    bodyField.focus();
  });

  // The newest message is at the foot; a reader scrolled up to read older ones stays there.
  function nearFoot() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }
  function toFoot() {
    list.scrollTop = list.scrollHeight;
  }

  function hold(messages, live) {
    let gap = false;
    const follow = nearFoot();
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (message.channel !== undefined && message.channel !== channelId) {
        continue;
      }
      if (message.seq <= lastSeq) {
        continue; // already shown: a repeat from a join overlapping live delivery
      }
      if (message.seq > lastSeq + 1) {
        gap = true; // something was missed (e.g. while Redis was away): fetch from lastSeq
        break;
      }
      document.getElementById("no-messages")?.remove();
      list.append(render(message));
      lastSeq = message.seq;
      if (live && message.sender.id !== myId) {
        announcer.textContent = t("tNewMessage", { name: message.sender.name });
      }
    }
    refreshReceipts();
    if (follow) {
      toFoot();
    }
    markRead();
    return gap;
  }

  function refreshReceipts() {
    for (const item of list.querySelectorAll(".message-own")) {
      const seq = Number(item.dataset.seq);
      const names = [...readers.entries()]
        .filter(([id, r]) => id !== myId && r.seq >= seq)
        .map(([, r]) => r.name);
      item.querySelector(".receipts").textContent = names.length ? t("tReadBy", { names: names.join(", ") }) : "";
    }
  }

  // --- the protocol ---------------------------------------------------------------------------

  // A join that timed out or failed on the server's side is tried again, later each time
  // (2 s, 4 s ... 30 s); a refusal that will not change (gone, signed out, invalid) is not.
  const FINAL_REFUSALS = [401, 403, 404, 422];
  let retryDelay = 0;
  let retryTimer = null;
  function joinAgainLater() {
    if (retryTimer || removed) {
      return;
    }
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (socket.connected) {
        join();
      }
    }, retryDelay);
  }

  function join() {
    if (removed) {
      return;
    }
    if (joining) {
      rejoin = true;
      return;
    }
    joining = true;
    socket.timeout(15000).emit("join", { channel: channelId, after_seq: lastSeq }, (err, answer) => {
      joining = false;
      if (err || !answer || answer.error) {
        const code = answer && answer.error ? answer.error.code : null;
        if (code === 404) {
          goneFromChannel();
        } else if (!FINAL_REFUSALS.includes(code)) {
          joinAgainLater();
        }
        return;
      }
      retryDelay = 0;
      const gap = hold(answer.messages, false);
      if (answer.more || gap || rejoin) {
        rejoin = false;
        join();
      }
    });
  }

  let readTimer = null;
  let readSent = 0;
  function markRead() {
    if (document.hidden || lastSeq <= readSent || removed) {
      return;
    }
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      const seq = lastSeq;
      socket.emit("read", { channel: channelId, seq }, (answer) => {
        if (answer && !answer.error) {
          readSent = Math.max(readSent, answer.seq);
        }
      });
    }, 500);
  }

  function flushOutbox() {
    if (!socket.connected || outbox.length === 0 || removed) {
      return;
    }
    const next = outbox[0];
    sendStatus.textContent = t("tSending");
    socket.timeout(15000).emit("send", { channel: channelId, ...next }, (err, answer) => {
      if (err) {
        // No answer: kept in the outbox and sent again with the same client_id, so the
        // server stores it once even if the first attempt did arrive.
        setTimeout(flushOutbox, 2000);
        return;
      }
      outbox.shift();
      if (answer.error) {
        sendStatus.textContent = t("tFailed", { reason: answer.error.message });
        if (outbox.length === 0) {
          bodyField.value = next.body; // give the text back so nothing is lost
          aboutTo(context.dataset.sentText || "", next.reply_to_seq, next.corrects_seq);
        }
      } else {
        sendStatus.textContent = "";
        if (answer.seq > lastSeq) {
          join(); // our own message is committed: make sure it is shown
        }
      }
      flushOutbox();
    });
  }

  function goneFromChannel() {
    removed = true;
    liveStatus.textContent = t("tRemoved");
    for (const control of form.elements) {
      control.disabled = true;
    }
  }

  socket.on("connect", () => {
    liveStatus.textContent = t("tConnected");
    join();
    flushOutbox();
  });
  socket.on("disconnect", () => {
    liveStatus.textContent = t("tOffline");
  });
  socket.on("connect_error", () => {
    liveStatus.textContent = t("tOffline");
  });
  socket.on("message", (message) => {
    if (hold([message], true)) {
      join();
    }
  });
  socket.on("receipt", (receipt) => {
    if (receipt.channel !== channelId) {
      return;
    }
    const known = readers.get(receipt.user.id);
    readers.set(receipt.user.id, { name: receipt.user.name, seq: Math.max(receipt.seq, known ? known.seq : 0) });
    refreshReceipts();
  });
  socket.on("removed", (event) => {
    if (event.channel === channelId) {
      goneFromChannel();
    }
  });
  // A notice of the other side's step: the menu's count follows it and it is announced; the
  // notice itself (a subject and a link, never content) waits on the notifications page.
  socket.on("notification", (notice) => {
    const link = document.querySelector(".nav-notifications");
    if (link) {
      let badge = link.querySelector(".badge");
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        link.append(" ", badge);
      }
      badge.textContent = String(notice.unread);
      badge.setAttribute("aria-label", t("tUnreadNotices", { num: notice.unread }));
    }
    announcer.textContent = notice.subject;
  });
  document.addEventListener("visibilitychange", markRead);

  for (const item of list.querySelectorAll(".message[data-seq]")) {
    dress(item);
  }
  toFoot();

  // --- sending --------------------------------------------------------------------------------

  async function upload(file) {
    sendStatus.textContent = t("tUploading", { name: file.name });
    const data = new FormData();
    data.append("size", String(file.size));
    data.append("file", file, file.name);
    const response = await fetch(section.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(answer.message || response.statusText);
    }
    return answer.id;
  }

  function newClientId() {
    return window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : `c-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = bodyField.value;
    if (!body.trim()) {
      bodyField.focus();
      return;
    }
    if (new TextEncoder().encode(body).length > messageMax) {
      sendStatus.textContent = t("tTooLarge");
      return;
    }
    let attachmentIds = [];
    try {
      attachmentIds = await Promise.all(Array.from(fileField.files, upload));
    } catch (error) {
      sendStatus.textContent = t("tFailed", { reason: error.message });
      return;
    }
    const send = { client_id: newClientId(), body, handling_code: codeField.value, attachment_ids: attachmentIds };
    if (replyField.value) {
      send.reply_to_seq = Number(replyField.value);
    }
    if (correctsField.value) {
      send.corrects_seq = Number(correctsField.value);
    }
    outbox.push(send);
    context.dataset.sentText = contextText.textContent;
    aboutTo("", null, null);
    bodyField.value = "";
    fileField.value = "";
    flushOutbox();
    bodyField.focus();
  });

  // Ctrl+Enter (or Cmd+Enter) sends from the message box.
  bodyField.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      form.requestSubmit();
    }
  });
})();
