import { Sections, type Section } from '../components/Sections';
import { PasswordLoginSimulator } from './simulator/PasswordLogin';
import { SsoSignin } from './simulator/SsoSignin';

/** Simulator sections. Each login mechanism adds one entry here and one file under simulator/. */
const SECTIONS: Section[] = [
  { id: 'sso', label: 'Sign in with SSO', render: () => <SsoSignin /> },
  { id: 'password-login', label: 'Password login', render: () => <PasswordLoginSimulator /> },
];

export const SimulatorScreen = () => <Sections label="Simulator" sections={SECTIONS} />;
