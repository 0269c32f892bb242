import type { SeedObjectDef } from '../schema/types.ts';

export type GrantType = 'password' | 'authorization_code' | 'refresh_token' | 'client_credentials' | 'jwt_bearer';

/** A connected app: the OAuth client ctibridge logs in with. */
export interface SeedApp {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Exact URLs; `*` stands for a port number, e.g. `http://127.0.0.1:*\/oauth/callback`. */
  callbackUrls: string[];
  grants: GrantType[];
  /** PEM certificate whose key signs jwt-bearer assertions. */
  certificate?: string;
  /** Username the client-credentials flow runs as. */
  clientCredentialsUser?: string;
  scopes?: string[];
}

/** A user, with the login secrets a real org would keep elsewhere. */
export interface SeedUser {
  Username: string;
  Email: string;
  FirstName?: string;
  LastName: string;
  Alias?: string;
  Profile: string;
  IsActive?: boolean;
  Phone?: string;
  Extension?: string;
  Title?: string;
  password: string;
  securityToken: string;
  apiEnabled?: boolean;
  locked?: boolean;
}

/**
 * Everything an emulated org starts with. Records may carry `_ref: "name"`; a field value `"@name"`
 * becomes that record's Id, and `"@user:USERNAME"` a user's Id.
 */
export interface Seed {
  orgId?: string;
  orgName?: string;
  apps: SeedApp[];
  users: SeedUser[];
  objects?: SeedObjectDef[];
  records: Record<string, Array<Record<string, unknown>>>;
}
