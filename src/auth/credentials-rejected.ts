/** The credentials were sent but prove nothing: answered as UNAUTHENTICATED, never as anonymous. */
export class CredentialsRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CredentialsRejected';
  }
}
