// Passkeys at the provider: the account page adds one (data-passkey="create"), the sign-in page signs in with one
// (data-passkey="get"). The server makes the options (its challenge, the site, the user) and checks the answer; this
// script only hands the options to the browser's WebAuthn and posts its answer back in the form's Credential field.
// A browser without WebAuthn's JSON helpers keeps the forms hidden: passwords still work.
const passkeysWork = typeof PublicKeyCredential !== "undefined"
  && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
  && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

for (const form of document.querySelectorAll("form[data-passkey]")) {
  if (!passkeysWork) continue;
  form.hidden = false;
  form.addEventListener("submit", async (e) => {
    if (form.dataset.answered) return;
    e.preventDefault();
    const problem = form.querySelector(".passkey-problem");
    problem.hidden = true;
    try {
      const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
      const response = await fetch(form.dataset.options, { method: "POST", headers: { RequestVerificationToken: token } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const options = await response.json();
      const credential = form.dataset.passkey === "create"
        ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
        : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      form.querySelector('input[name="Credential"]').value = JSON.stringify(credential);
      form.dataset.answered = "yes";
      form.requestSubmit();
    } catch (error) {
      problem.textContent = error.name === "NotAllowedError"
        ? "No passkey was used: it was cancelled, timed out, or this device has none for Dms."
        : `No passkey was used: ${error.message}.`;
      problem.hidden = false;
    }
  });
}
