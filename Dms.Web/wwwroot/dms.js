// The web app's only script, loaded on every page. It never sees a token: it calls the web server, which calls the
// API with the user's cookie, and it sends a file's bytes straight to storage at the signed URL the API gave out.

const statusPollMs = 1500;
// The most documents one request may name: the API's limit, which the page states.
const idsPerRequest = Number(document.querySelector('meta[name="dms-ids-per-request"]').content);

function antiforgeryToken(root) {
  return root.querySelector('input[name="__RequestVerificationToken"]')?.value ?? "";
}

async function postJson(url, body, token) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", RequestVerificationToken: token },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.detail ?? `The web server answered ${response.status}.`);
  return answer;
}

// One PUT of a Blob with its progress; resolves with the ETag storage answered (a multipart upload needs it).
function put(url, headers, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (name.toLowerCase() !== "content-length") request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (e) => onProgress(e.loaded);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(request.getResponseHeader("ETag"));
      else {
        let detail;
        try { detail = JSON.parse(request.responseText).detail; } catch { detail = null; }
        reject(new Error(detail ?? `Storage refused the bytes (${request.status}).`));
      }
    };
    request.onerror = () => reject(new Error("The connection to storage was lost: upload the file again."));
    request.send(blob);
  });
}

// Every file under a dropped folder, however deep.
async function filesOf(entry) {
  if (entry.isFile) return [await new Promise((resolve, reject) => entry.file(resolve, reject))];
  const reader = entry.createReader();
  const files = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return files;
    for (const child of batch) files.push(...(await filesOf(child)));
  }
}

class DmsUpload extends HTMLElement {
  connectedCallback() {
    if (this.wired) return;
    this.wired = true;
    this.queue = [];
    this.running = 0;
    const zone = this.querySelector(".dropzone");
    for (const input of this.querySelectorAll('input[type="file"]')) {
      input.addEventListener("change", () => { this.add([...input.files]); input.value = ""; });
    }
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", async (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      const entries = [...e.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
      const files = entries.length > 0 ? (await Promise.all(entries.map(filesOf))).flat() : [...e.dataTransfer.files];
      this.add(files);
    });
  }

  add(files) {
    const list = this.querySelector(".uploads");
    for (const file of files) {
      const row = document.createElement("li");
      row.innerHTML = '<span class="name"></span><progress max="1" value="0"></progress><span class="status"></span><span class="failure-reason"></span><span class="problem" role="alert"></span>';
      row.querySelector(".name").textContent = file.webkitRelativePath || file.name;
      row.querySelector("progress").setAttribute("aria-label", `Upload of ${file.name}`);
      row.querySelector(".status").textContent = "waiting";
      list.append(row);
      this.queue.push({ file, row });
    }
    this.next();
  }

  // Three files at a time: enough to keep the connection busy, few enough that each shows progress.
  next() {
    while (this.running < 3 && this.queue.length > 0) {
      const { file, row } = this.queue.shift();
      this.running++;
      this.upload(file, row).finally(() => { this.running--; this.next(); });
    }
  }

  async upload(file, row) {
    const status = row.querySelector(".status");
    const progress = row.querySelector("progress");
    const token = antiforgeryToken(this);
    try {
      status.textContent = "uploading";
      const started = await postJson("/documents/uploads",
        { documentId: this.getAttribute("document-id"), fileName: file.name, contentType: file.type, sizeBytes: file.size }, token);
      const id = started.document.id;
      const upload = started.upload;
      let parts = null;
      if (upload.parts) {
        parts = [];
        const sent = new Array(upload.parts.length).fill(0);
        for (const part of upload.parts) {
          const blob = file.slice(part.offset, part.offset + part.sizeBytes);
          const eTag = await put(part.url, {}, blob, (n) => {
            sent[part.partNumber - 1] = n;
            progress.value = sent.reduce((a, b) => a + b, 0) / file.size;
          });
          parts.push({ partNumber: part.partNumber, eTag });
        }
      } else {
        await put(upload.url, upload.headers, file, (n) => { progress.value = n / file.size; });
      }
      progress.value = 1;
      const completed = await postJson(`/documents/${id}/complete`, { parts }, token);
      const link = document.createElement("a");
      link.href = `/documents/${id}`;
      link.textContent = "Open";
      row.append(link);
      showStatus(status, id, completed);
    } catch (error) {
      status.textContent = "refused";
      status.className = "status status-failed";
      row.querySelector(".problem").textContent = error.message;
    }
  }
}

// A status as the web server words it ({ status, label, inProgress, failureReason }): the script decides nothing about statuses.
function showStatus(element, id, shown) {
  element.dataset.documentId = id;
  element.dataset.documentStatus = shown.status;
  element.toggleAttribute("data-in-progress", shown.inProgress);
  element.className = `status status-${shown.status}`;
  element.textContent = shown.label;
  element.title = shown.failureReason ?? "";
  const reasonElement = element.parentElement?.querySelector(".failure-reason");
  if (reasonElement) reasonElement.textContent = shown.failureReason ?? "";
}

// Statuses that the pipeline is still changing are asked for together every 1.5 s until none is left; a page that
// shows a document's details reloads when it is done, to show its text and steps.
async function pollStatuses() {
  const pending = [...document.querySelectorAll("[data-in-progress]")];
  if (pending.length > 0) {
    const ids = [...new Set(pending.map((e) => e.dataset.documentId))].slice(0, idsPerRequest);
    try {
      const response = await fetch(`/documents/statuses?ids=${ids.join(",")}`);
      if (response.ok) {
        const statuses = await response.json();
        for (const element of pending) {
          const now = statuses[element.dataset.documentId];
          if (now && now.status !== element.dataset.documentStatus) {
            showStatus(element, element.dataset.documentId, now);
            if (!now.inProgress && element.hasAttribute("data-reload-when-done")) location.reload();
          }
        }
      }
    } catch {
      // The next round asks again.
    }
  }
  setTimeout(pollStatuses, statusPollMs);
}

customElements.define("dms-upload", DmsUpload);

// Destructive actions ask once: a button with data-confirm opens a native dialog that says what will happen, and
// only its confirming button submits the form (with the button's name and value, as a click would).
document.addEventListener("submit", (e) => {
  const button = e.submitter;
  if (!(button instanceof HTMLButtonElement) || !button.dataset.confirm || button.dataset.confirmed) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  dialog.innerHTML = '<form method="dialog"><p></p><div class="actions"><button value="cancel" class="secondary">Cancel</button><button value="confirm" class="danger"></button></div></form>';
  dialog.querySelector("p").textContent = button.dataset.confirm;
  dialog.querySelector('button[value="confirm"]').textContent = button.textContent.trim();
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (dialog.returnValue === "confirm") {
      button.dataset.confirmed = "yes";
      e.target.requestSubmit(button);
      delete button.dataset.confirmed;
    }
  });
  dialog.showModal();
}, true);

// Search as you type: a pause of 300 ms in typing asks the server for the results page and shows its results in
// place (the address follows, so the page can be reloaded or shared); pressing Enter still submits the form.
// Listened for on the document: pages that Blazor's enhanced navigation brings in run no script of their own.
let searchTimer;
let searchInFlight;
document.addEventListener("input", (e) => {
  const input = e.target;
  const form = input instanceof HTMLInputElement && input.name === "q" ? input.closest("form[data-as-you-type]") : null;
  if (!form) return;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    searchInFlight?.abort();
    searchInFlight = new AbortController();
    // The whole form: the words, and the filters a facet set (its hidden fields).
    const url = `${form.action}?${new URLSearchParams(new FormData(form))}`;
    try {
      const response = await fetch(url, { signal: searchInFlight.signal });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const results = page.querySelector(".results");
      if (results) {
        document.querySelector(".results").replaceWith(document.adoptNode(results));
        history.replaceState(null, "", url);
      }
    } catch {
      // A newer keystroke took over, or the network failed: the form still submits.
    }
  }, 300);
});

// "Select all" ticks every row's box in its form.
document.addEventListener("change", (e) => {
  if (e.target instanceof HTMLInputElement && e.target.hasAttribute("data-select-all")) {
    for (const box of e.target.form.querySelectorAll("input[type=checkbox][name=Selected]")) box.checked = e.target.checked;
  }
});

// A document's details form: choosing a document type marks the fields it requires (the API refuses the edit
// without them), as the page marks them for the type the document already has.
document.addEventListener("change", (e) => {
  const select = e.target;
  if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-type-fields")) return;
  const required = new Set((select.selectedOptions[0]?.dataset.required ?? "").split(" ").filter(Boolean));
  for (const input of select.form.querySelectorAll("[data-field-id]")) {
    const needed = required.has(input.dataset.fieldId);
    input.required = needed;
    select.form.querySelector(`label[for="${input.id}"]`)?.classList.toggle("required", needed);
  }
});

// A PDF's page is rendered when it is first shown (its images load lazily, as they scroll into view):
// until it is there the answer is 202, and the image is asked for again after the pause the answer names, up to
// 60 times (two minutes at the API's pause: a busy worker renders a reader's pages before its backlog, but not
// before the job it is running). A preview that is not there at all (content that could not be rendered) is hidden, not a broken image.
document.addEventListener("error", async (e) => {
  const image = e.target;
  if (!(image instanceof HTMLImageElement) || !image.classList.contains("preview")) return;
  const tries = Number(image.dataset.tries ?? 0);
  const answer = tries < 60 ? await fetch(image.src).catch(() => null) : null;
  // 202: being rendered; 429 and 503: busy for a moment (the reader's own requests, a restart). All say when to ask again.
  const later = [202, 429, 503].includes(answer?.status);
  if (later || answer?.ok) {
    image.dataset.tries = String(tries + 1);
    image.classList.toggle("rendering", later);
    const pause = later ? Number(answer.headers.get("Retry-After") ?? 2) * 1000 : 0;
    setTimeout(() => {
      const again = new URL(image.src);
      again.searchParams.set("try", String(tries + 1));
      image.src = again.href;
    }, pause);
  } else {
    // A link that holds only the image is hidden with it: it would be a link with nothing to read.
    const link = image.closest("a");
    (link && link.textContent.trim() === "" ? link : image).classList.add("missing");
  }
}, true);
document.addEventListener("load", (e) => {
  if (e.target instanceof HTMLImageElement) e.target.classList.remove("rendering");
}, true);
pollStatuses();
