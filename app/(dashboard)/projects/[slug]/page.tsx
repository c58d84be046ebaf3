import { ServicesSection } from '@/components/services/services-section';

export default async function ProjectServicesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <ServicesSection project={slug} />;
}
