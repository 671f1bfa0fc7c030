import { Sections, type Section } from '../components/Sections';
import { PendingScreen } from './Pending';
import { SsoSignin } from './simulator/SsoSignin';

/** Simulator sections. Each login mechanism adds one entry here and one file under simulator/. */
const SECTIONS: Section[] = [
  { id: 'sso', label: 'Sign in with SSO', render: () => <SsoSignin /> },
  {
    id: 'pending',
    label: 'Login',
    render: () => <PendingScreen title="Simulator" what="Replaying a user's login step by step" issue="#4 and #6, then #5" />,
  },
];

export const SimulatorScreen = () => <Sections label="Simulator" sections={SECTIONS} />;
