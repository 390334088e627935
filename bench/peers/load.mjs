// Loads the peer libraries from this folder's own node_modules (bench/peers.ts imports this file).
export * as jose from 'jose';
export * as fastJwt from 'fast-jwt';
export { default as jsonwebtoken } from 'jsonwebtoken';
