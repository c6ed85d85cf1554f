// node verify.mjs <credential.json> <contexts.json>
// Verify an Open Badges 3.0 credential with Digital Bazaar's libraries, the W3C reference
// implementers: an independent second verifier of what openbadgeslib signed. Prints
// {"verified": true|false, "errors": [...]} and exits 0 or 1. Every JSON-LD context comes from
// the installed packages or from contexts.json ({url: document}: the Open Badges contexts,
// written by the Python test from openbadgeslib's bundled copies): nothing is fetched.
import {readFileSync} from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import * as credCtx from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as DidKey from '@digitalbazaar/did-method-key';
import {CachedResolver} from '@digitalbazaar/did-io';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import jsigs from 'jsonld-signatures';

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const loader = new JsonLdDocumentLoader();
for (const [url, document] of credCtx.contexts) {
  loader.addStatic(url, document);
}
loader.addStatic(dataIntegrityContext.CONTEXT_URL, dataIntegrityContext.CONTEXT);
loader.addStatic(multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT);
const openBadges = JSON.parse(readFileSync(process.argv[3], 'utf8'));
for (const [url, document] of Object.entries(openBadges)) {
  loader.addStatic(url, document);
}

const didKeyDriver = DidKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const resolver = new CachedResolver();
resolver.use(didKeyDriver);
const staticLoad = loader.build();
const documentLoader = async url => {
  if (url.startsWith('did:')) {
    const document = await resolver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  return staticLoad(url);
};

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
// The revocation bit is checked by openbadgeslib in the Python tests; here, the proof.
const checkStatus = async () => ({verified: true});
const result = await vc.verifyCredential({
  credential, suite, documentLoader, checkStatus,
  purpose: new jsigs.purposes.AssertionProofPurpose(),
});
const errors = [];
const collect = error => {
  if (!error) return;
  if (Array.isArray(error)) { error.forEach(collect); return; }
  errors.push(error.message || String(error));
  if (error.errors) collect(error.errors);
};
collect(result.error);
for (const proof of result.results || []) collect(proof.error);
console.log(JSON.stringify({verified: result.verified, errors}));
process.exit(result.verified ? 0 : 1);
