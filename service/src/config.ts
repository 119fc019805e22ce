/**
 * The service's configuration. The variable table lives in config/variables, loading and checking in
 * config/load; this module is the public entry point the rest of the service imports.
 */
export {
  AUTH_FLOWS,
  LOG_LEVELS,
  describeConfig,
  type AuthFlow,
  type ConfigVariableRow,
  type LogLevel,
} from './config/variables';
export {
  ConfigError,
  loadConfig,
  orgConnectionsOf,
  type Config,
  type LdapConfig,
  type OrgConnectionConfig,
  type SalesforceConfig,
} from './config/load';
export { PRIMARY_ORG_ID } from './config/salesforce';
