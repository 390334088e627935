/**
 * The flask_jwt_extended mirror, as the demo and other apps use it: the
 * manager and its settings, the guards, the request-state getters, the cookie
 * helpers, and the error handler an app installs.
 */
export { loadConfig, ConfigError, isAsymmetric } from './config.js';
export { configFromEnv } from './env.js';
export { JWT_SETTINGS, CONFIG_KEYS, DEFAULT_CONFIG, type JwtConfig, type ConfigKey, type TokenLocation } from './settings.js';
export { JwtManager, type ManagerOptions } from './manager.js';
export { jwtRequired, verifyJwtInRequest, type GuardOptions } from './guards.js';
export { getCurrentUser, getJwt, getJwtHeader, getJwtIdentity, getJwtRequestLocation } from './state.js';
export { setAccessCookies, setRefreshCookies, unsetAccessCookies, unsetJwtCookies, unsetRefreshCookies } from './cookies.js';
export { jwtErrorHandler } from './responses.js';
export { RemoteJwks } from './jwks.js';
