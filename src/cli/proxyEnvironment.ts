import { ProxyConfigError, ProxyRules, type ProxySettings } from '../core/proxy';
import { ProxyAgents } from '../core/proxyAgent';
import { UsageError } from './options';
import type { Terminal } from './terminal';

/** The first of these variables that is set (and not empty), with its name. */
function variable(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * The proxy settings in the environment, curl's way: https_proxy / HTTPS_PROXY for https:// targets,
 * http_proxy / HTTP_PROXY for http:// ones (the lower-case name first), ALL_PROXY for either when the
 * scheme's own is not set, and no_proxy / NO_PROXY for the hosts to reach directly.
 */
export function proxySettingsFromEnv(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const all = variable(env, ['all_proxy', 'ALL_PROXY']);
  const httpsProxy = variable(env, ['https_proxy', 'HTTPS_PROXY']) ?? all;
  const httpProxy = variable(env, ['http_proxy', 'HTTP_PROXY']) ?? all;
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = variable(env, ['no_proxy', 'NO_PROXY']);
  return {
    ...(httpsProxy ? { https: httpsProxy.value } : {}),
    ...(httpProxy ? { http: httpProxy.value } : {}),
    ...(noProxy ? { noProxy: noProxy.value } : {}),
    sources: { ...(httpsProxy ? { https: httpsProxy.name } : {}), ...(httpProxy ? { http: httpProxy.name } : {}) },
  };
}

/**
 * The proxy agents for this run, undefined when no proxy is set. An unusable proxy URL is a usage error
 * (nothing is sent); the credentials in a proxy URL are kept out of everything the CLI prints.
 */
export function proxyFromEnv(env: NodeJS.ProcessEnv, terminal: Terminal): ProxyAgents | undefined {
  const settings = proxySettingsFromEnv(env);
  if (!settings) return undefined;
  let rules: ProxyRules;
  try {
    rules = new ProxyRules(settings);
  } catch (error) {
    if (error instanceof ProxyConfigError) throw new UsageError(error.message);
    throw error;
  }
  for (const secret of rules.secrets) terminal.redactor.addSecret(secret);
  return new ProxyAgents(rules);
}
