// Starts cognito-local, the local stand-in for a Cognito user pool, with this installation's own signing key in place
// of the one its npm package ships: that private key is public (anyone can read it in the package), so anyone could
// mint tokens the API would accept. The key is made at the first start and kept owner-only in the file that
// DMS_IDENTITY_KEY_FILE names; cognito-local signs with it and publishes its public half as its JWKS.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const keyFile = process.env.DMS_IDENTITY_KEY_FILE;
if (!keyFile) {
  console.error("DMS_IDENTITY_KEY_FILE must name the file that holds this installation's signing key.");
  process.exit(2);
}

function makeKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = {
    pem: privateKey.export({ type: "pkcs1", format: "pem" }),
    jwk: { ...publicKey.export({ format: "jwk" }), use: "sig", kid: "CognitoLocal", alg: "RS256" },
  };
  try {
    // Created owner-only, never readable by others, not even before its first byte is written.
    fs.writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600, flag: "wx" });
    return key;
  } catch (e) {
    if (e.code === "EEXIST") return JSON.parse(fs.readFileSync(keyFile, "utf8"));
    throw e;
  }
}

const key = fs.existsSync(keyFile) ? JSON.parse(fs.readFileSync(keyFile, "utf8")) : makeKey();
const lib = path.join(__dirname, "node_modules", "cognito-local", "lib");
function provide(file, exports) {
  const id = require.resolve(path.join(lib, "keys", file));
  require.cache[id] = { id, filename: id, loaded: true, exports };
}

// cognito-local requires these two files for signing and for its JWKS: they are ours before it loads.
provide("cognitoLocal.private.json", { pem: key.pem, jwk: key.jwk });
provide("cognitoLocal.public.json", { jwk: key.jwk });
require(path.join(lib, "bin", "start.js"));
