import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AccountService } from './service.ts';

/**
 * passport-local sign-in. The session holds "<userId>:<sessionVersion>"; a password change or a
 * deactivation raises the version, so every older session is refused at its next request.
 */
export function createPassport(accounts: AccountService) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passReqToCallback: true }, (req, email, password, done) => {
      accounts
        .authenticate(email.trim().toLowerCase(), password, req.ip ?? 'unknown')
        .then((user) => done(null, user))
        .catch((err: unknown) => done(err));
    }),
  );
  passport.serializeUser((user, done) => done(null, `${user.id}:${user.sessionVersion}`));
  passport.deserializeUser((key: string, done) => {
    const [id = '', version = ''] = key.split(':');
    accounts
      .findUser(id)
      .then((user) => done(null, user && user.active && String(user.sessionVersion) === version ? user : false))
      .catch((err: unknown) => done(err));
  });
  return passport;
}
