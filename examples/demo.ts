// placeholder demo; replaced by the full lifecycle demo
import { generateSecret, encodeBase32, totp, verifyTotp, remainingSeconds } from '../src/index.js';
const secret = generateSecret();
const now = Date.now();
const code = totp(secret, { time: now });
console.log(`otpauth://totp/Demo:alice?secret=${encodeBase32(secret)}&issuer=Demo`);
console.log(`code ${code} (${remainingSeconds(now)} s left) →`, verifyTotp(secret, code, { time: now }));
